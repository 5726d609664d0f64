import type { Access } from '@hfit/access';
import type { LoadedServerConfig } from '@hfit/config';
import type { VolumeInfo } from '@hfit/contracts';

/**
 * The configured volumes, in configuration order: names only (roots are server internals). With
 * `access`: needs the `browse` action, and lists only the volumes some `volumes` pattern names.
 */
export function listVolumes(config: Pick<LoadedServerConfig, 'volumes'>, access?: Access): VolumeInfo[] {
  access?.requireAction('browse');
  return config.volumes.filter((v) => access === undefined || access.canSeeVolume(v.name)).map((v) => ({ name: v.name }));
}
