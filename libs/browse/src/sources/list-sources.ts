import type { Access } from '@hfit/access';
import type { LoadedServerConfig } from '@hfit/config';
import type { SourceInfo } from '@hfit/contracts';

/**
 * The configured sources in configuration order: name and type only, never host or credentials.
 * With `access`: needs the `browse` action, and lists only the sources where some table could be
 * granted.
 */
export function listSources(config: Pick<LoadedServerConfig, 'sources'>, access?: Access): SourceInfo[] {
  access?.requireAction('browse');
  return config.sources.filter((s) => access === undefined || access.canSeeSource(s.name)).map((s) => ({ name: s.name, type: s.type }));
}
