import { HfitError } from '@hfit/contracts';
import type { ExtractionSession } from '../connection/extraction-session.js';
import type { TableInfo } from '../introspection/table-info.js';
import { validateDdlOptions, type DdlOptions } from './ddl-options.js';
import { writeMysqlDatabaseDdl } from './mysql/write-mysql-ddl.js';
import { writePostgresDdl } from './postgres/write-postgres-ddl.js';
import { compareCodeUnits } from './resolve-tables.js';
import { wrapDdlError } from './wrap-ddl-error.js';

/**
 * The DDL of whole databases (PostgreSQL: schemas of the source's database) as one script for the
 * stock client: MySQL/MariaDB `CREATE DATABASE` (from `SHOW CREATE DATABASE`) and `USE`, then every
 * base table; PostgreSQL `CREATE SCHEMA`, then everything the schema's tables need (types,
 * sequences, tables, indexes, comments). Databases are checked against the catalog, deduplicated
 * and sorted; the output is deterministic.
 *
 * Options: `ifnotexists` creates only what is missing; `dropcreate` creates the database/schema if
 * missing and drops and recreates its exported tables — it never drops a database or schema, which
 * may hold tables the package does not carry.
 *
 * @throws HfitError `TEMPLATE_INVALID` (bad option, empty list), `DATABASE_UNKNOWN`,
 * `FORMAT_UNSUPPORTED`, `EXTRACTION_FAILED` (see {@link readTableDdl}).
 */
export async function readDatabaseDdl(session: ExtractionSession, databases: readonly string[], opts: DdlOptions = {}): Promise<string> {
  const option = validateDdlOptions(opts);
  if (databases.length === 0)
    throw new HfitError('TEMPLATE_INVALID', 'the database list is empty: name at least one database', { field: 'tablelist' });
  const names: string[] = [];
  for (const [i, d] of databases.entries()) names.push(await session.catalog.database(d, `tablelist.${i}`));
  const unique = [...new Set(names)].sort(compareCodeUnits);
  return wrapDdlError(`database${unique.length > 1 ? 's' : ''} ${unique.map((d) => `"${d}"`).join(', ')}`, async () => {
    if (session.connection.type === 'mysql') return writeMysqlDatabaseDdl(session, unique, option);
    const tables: TableInfo[] = [];
    for (const schema of unique)
      for (const t of await session.catalog.listTables(schema)) tables.push(await session.catalog.table({ database: schema, table: t }));
    return writePostgresDdl(session, { kind: 'database', schemas: unique, tables }, option);
  });
}
