import { HfitError } from '@hfit/contracts';
import type { LoadedServerConfig } from './loaded-server-config.js';
import type { SourceConfig, VolumeConfig } from './server-config-schema.js';

function names(items: readonly { name: string }[]): string {
  return items.length ? items.map((i) => i.name).join(', ') : 'none';
}

/**
 * The configured source called `name`.
 * @throws HfitError SOURCE_UNKNOWN listing the configured sources.
 */
export function findSource(cfg: Pick<LoadedServerConfig, 'sources'>, name: string): SourceConfig {
  const s = cfg.sources.find((x) => x.name === name);
  if (!s) throw new HfitError('SOURCE_UNKNOWN', `unknown source "${name}"; configured sources: ${names(cfg.sources)}`);
  return s;
}

/**
 * The configured volume called `name`.
 * @throws HfitError VOLUME_UNKNOWN listing the configured volumes.
 */
export function findVolume(cfg: Pick<LoadedServerConfig, 'volumes'>, name: string): VolumeConfig {
  const v = cfg.volumes.find((x) => x.name === name);
  if (!v) throw new HfitError('VOLUME_UNKNOWN', `unknown volume "${name}"; configured volumes: ${names(cfg.volumes)}`);
  return v;
}
