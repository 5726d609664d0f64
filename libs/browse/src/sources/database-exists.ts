import type { LoadedServerConfig } from '@hfit/config';
import { sourceExists } from './source-exists.js';
import { withSourceSession, type SourceReadOptions } from './with-source-session.js';

/**
 * `HEAD` of a database: true when {@link listDatabases} would list it. False, not an error, for an
 * unknown source. With `options.access`: `FORBIDDEN` (before connecting) without the `browse`
 * action or a grant inside the database.
 * @throws HfitError `SOURCE_UNREACHABLE`, `FORBIDDEN`.
 */
export async function databaseExists(
  config: Pick<LoadedServerConfig, 'sources'>,
  source: string,
  database: string,
  options: SourceReadOptions = {},
): Promise<boolean> {
  options.access?.requireAction('browse');
  options.access?.requireSeeSource(source, database);
  if (!sourceExists(config, source)) return false;
  return withSourceSession(config, source, async (session) => (await session.catalog.listDatabases()).includes(database), options);
}
