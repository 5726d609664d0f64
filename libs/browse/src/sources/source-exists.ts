import type { LoadedServerConfig } from '@hfit/config';

/** `HEAD` of a source: true when a source of that name is configured (no connection is made). */
export function sourceExists(config: Pick<LoadedServerConfig, 'sources'>, source: string): boolean {
  return config.sources.some((s) => s.name === source);
}
