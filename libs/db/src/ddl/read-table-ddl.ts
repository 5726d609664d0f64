import type { ExtractionSession } from '../connection/extraction-session.js';
import type { TableRef } from '../introspection/catalog.js';
import { validateDdlOptions, type DdlOptions } from './ddl-options.js';
import { writeMysqlTableDdl } from './mysql/write-mysql-ddl.js';
import { writePostgresDdl } from './postgres/write-postgres-ddl.js';
import { resolveTables } from './resolve-tables.js';
import { wrapDdlError } from './wrap-ddl-error.js';

/**
 * The DDL of the listed tables as one self-contained script for the stock client (`mariadb`,
 * `psql -v ON_ERROR_STOP=1`), in an order that satisfies the foreign keys among them. Every name
 * is checked against the session's catalog first, and everything is read inside the session's
 * snapshot transaction. The output is deterministic: the same schema gives the same bytes, however
 * the list is ordered.
 *
 * MySQL/MariaDB: `SHOW CREATE TABLE` text with unqualified table names (the importer picks the
 * database) and without the volatile `AUTO_INCREMENT=N` option, framed by mysqldump-style session
 * settings (`SET NAMES utf8mb4`, `FOREIGN_KEY_CHECKS=0`, … restored at the end).
 * PostgreSQL: rebuilt from pg_catalog with schema-qualified names, including the enums, domains and
 * sequences the tables need (see `writePostgresDdl`).
 *
 * @param tables `database.table` strings (PostgreSQL: `schema.table`) or parts.
 * @throws HfitError `TEMPLATE_INVALID` (bad option, empty list, MySQL name clash across databases),
 * `DATABASE_UNKNOWN` / `TABLE_UNKNOWN`, `FORMAT_UNSUPPORTED` (PostgreSQL partitioned table),
 * `EXTRACTION_FAILED` (server errors).
 */
export async function readTableDdl(session: ExtractionSession, tables: readonly (TableRef | string)[], opts: DdlOptions = {}): Promise<string> {
  const option = validateDdlOptions(opts);
  const infos = await resolveTables(session.catalog, tables);
  const what = infos.length === 1 ? `table "${infos[0]?.database}.${infos[0]?.name}"` : `${infos.length} tables`;
  return wrapDdlError(what, () =>
    session.connection.type === 'mysql'
      ? writeMysqlTableDdl(session, infos, option)
      : writePostgresDdl(session, { kind: 'table', tables: infos }, option),
  );
}
