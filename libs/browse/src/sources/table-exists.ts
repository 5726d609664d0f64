import type { LoadedServerConfig } from '@hfit/config';
import { sourceExists } from './source-exists.js';
import { withSourceSession, type SourceReadOptions } from './with-source-session.js';

/**
 * `HEAD` of a table: true when `database` is readable on `source` (see {@link listDatabases}) and
 * holds a base table `table`. False, not an error, when the source or database is unknown. Names
 * are only compared with the catalog's lists, never sent to the server. With `options.access`:
 * `FORBIDDEN` (before connecting) without the `browse` action or a grant on the table.
 * @throws HfitError `SOURCE_UNREACHABLE`, `FORBIDDEN`.
 */
export async function tableExists(
  config: Pick<LoadedServerConfig, 'sources'>,
  source: string,
  database: string,
  table: string,
  options: SourceReadOptions = {},
): Promise<boolean> {
  options.access?.requireAction('browse');
  options.access?.requireTable(source, database, table);
  if (!sourceExists(config, source)) return false;
  return withSourceSession(
    config,
    source,
    async (session) => {
      if (!(await session.catalog.listDatabases()).includes(database)) return false;
      return (await session.catalog.listTables(database)).includes(table);
    },
    options,
  );
}
