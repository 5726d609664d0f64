import type { LoadedServerConfig } from '@hfit/config';
import type { VolumeInfo } from '@hfit/contracts';

/** The configured volumes, in configuration order: names only (roots are server internals). */
export function listVolumes(config: Pick<LoadedServerConfig, 'volumes'>): VolumeInfo[] {
  return config.volumes.map((v) => ({ name: v.name }));
}
