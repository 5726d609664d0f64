import type { LoadedServerConfig } from '@hfit/config';
import type { TableInfo } from '@hfit/contracts';
import { toTableInfo } from './to-table-info.js';
import { withSourceSession, type SourceReadOptions } from './with-source-session.js';

/**
 * The base tables of `database` on `source`, sorted by name, each with its columns (in table order:
 * name, declared type as the server prints it, nullable), primary key (empty when none) and
 * foreign keys. Everything is read from the catalog of one snapshot session. With
 * `options.access`, only the granted tables (others are not even described); `FORBIDDEN` (before
 * connecting) without the `browse` action or any grant inside the database.
 * @throws HfitError `SOURCE_UNKNOWN`, `DATABASE_UNKNOWN` (listing the readable ones), `SOURCE_UNREACHABLE`, `FORBIDDEN`.
 */
export async function listTables(config: Pick<LoadedServerConfig, 'sources'>, source: string, database: string, options: SourceReadOptions = {}): Promise<TableInfo[]> {
  const { access } = options;
  access?.requireAction('browse');
  access?.requireSeeSource(source, database);
  return withSourceSession(
    config,
    source,
    async (session) => {
      const out: TableInfo[] = [];
      // One connection: describing tables one after another is all it can do anyway.
      for (const table of await session.catalog.listTables(database)) {
        if (access !== undefined && !access.canTable(source, database, table)) continue;
        out.push(toTableInfo(await session.catalog.table({ database, table })));
      }
      return out;
    },
    options,
  );
}
