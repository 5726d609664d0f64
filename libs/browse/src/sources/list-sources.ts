import type { LoadedServerConfig } from '@hfit/config';
import type { SourceInfo } from '@hfit/contracts';

/** The configured sources in configuration order: name and type only, never host or credentials. */
export function listSources(config: Pick<LoadedServerConfig, 'sources'>): SourceInfo[] {
  return config.sources.map((s) => ({ name: s.name, type: s.type }));
}
