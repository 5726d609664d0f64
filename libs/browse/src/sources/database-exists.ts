import type { LoadedServerConfig } from '@hfit/config';
import { sourceExists } from './source-exists.js';
import { withSourceSession, type SourceReadOptions } from './with-source-session.js';

/**
 * `HEAD` of a database: true when {@link listDatabases} would list it. False, not an error, for an
 * unknown source. @throws HfitError `SOURCE_UNREACHABLE`.
 */
export async function databaseExists(
  config: Pick<LoadedServerConfig, 'sources'>,
  source: string,
  database: string,
  options: SourceReadOptions = {},
): Promise<boolean> {
  if (!sourceExists(config, source)) return false;
  return withSourceSession(config, source, async (session) => (await session.catalog.listDatabases()).includes(database), options);
}
