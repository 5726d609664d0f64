import type { Access } from '@hfit/access';
import type { LoadedServerConfig } from '@hfit/config';

/**
 * `HEAD` of a source: true when a source of that name is configured (no connection is made). With
 * `access`: `FORBIDDEN` without the `browse` action or a grant inside the source, whether it
 * exists or not.
 */
export function sourceExists(config: Pick<LoadedServerConfig, 'sources'>, source: string, access?: Access): boolean {
  access?.requireAction('browse');
  access?.requireSeeSource(source);
  return config.sources.some((s) => s.name === source);
}
