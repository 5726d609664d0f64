import type { Access } from '@hfit/access';
import type { LoadedServerConfig } from '@hfit/config';

/**
 * `HEAD` of a volume: true when a volume of that name is configured. With `access`: `FORBIDDEN`
 * without the `browse` action or a pattern naming the volume, whether it exists or not.
 */
export function volumeExists(config: Pick<LoadedServerConfig, 'volumes'>, volume: string, access?: Access): boolean {
  access?.requireAction('browse');
  access?.requireSeeVolume(volume);
  return config.volumes.some((v) => v.name === volume);
}
