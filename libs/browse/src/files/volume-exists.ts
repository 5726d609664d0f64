import type { LoadedServerConfig } from '@hfit/config';

/** `HEAD` of a volume: true when a volume of that name is configured. */
export function volumeExists(config: Pick<LoadedServerConfig, 'volumes'>, volume: string): boolean {
  return config.volumes.some((v) => v.name === volume);
}
