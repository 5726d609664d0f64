import { sql, type Kysely } from 'kysely';
import { HfitError } from '@hfit/contracts';
import type { ExtractionSession } from '../../connection/extraction-session.js';
import type { TableInfo } from '../../introspection/table-info.js';
import { ddlHeader } from '../ddl-header.js';
import type { DdlOption } from '../ddl-options.js';
import { orderTables } from '../order-tables.js';
import { MYSQL_SCRIPT_EPILOGUE, MYSQL_SCRIPT_PROLOGUE } from './mysql-script-frame.js';
import { quoteMysqlIdentifier } from './quote-mysql-identifier.js';
import { stripAutoIncrement } from './strip-auto-increment.js';
import { withMysqlShowSettings } from './with-mysql-show-settings.js';

/**
 * The DDL script of catalog-resolved MySQL/MariaDB tables, with unqualified table names (the
 * importer picks the database).
 * @throws HfitError `TEMPLATE_INVALID` when two databases contribute tables of the same name: with
 * unqualified names they would collide in the importing database.
 */
export async function writeMysqlTableDdl(session: ExtractionSession, tables: readonly TableInfo[], option: DdlOption | undefined): Promise<string> {
  const seen = new Map<string, TableInfo>();
  for (const t of tables) {
    // Compared case-insensitively: the importing server may fold table names (lower_case_table_names).
    const other = seen.get(t.name.toLowerCase());
    if (other)
      throw new HfitError(
        'TEMPLATE_INVALID',
        `tables "${other.database}.${other.name}" and "${t.database}.${t.name}" would both be created as "${t.name}" (MySQL table DDL names tables without their database): export them in separate table-create files`,
        { field: 'tablelist' },
      );
    seen.set(t.name.toLowerCase(), t);
  }
  const db = session.connection.kysely;
  const body = await withMysqlShowSettings(db, () => tablesBlock(db, tables, option));
  return `${ddlHeader('mysql', 'table', option)}\n\n${MYSQL_SCRIPT_PROLOGUE}\n${body}${MYSQL_SCRIPT_EPILOGUE}`;
}

/**
 * The DDL script of whole MySQL/MariaDB databases (already checked against the catalog): per
 * database `CREATE DATABASE` from `SHOW CREATE DATABASE`, `USE`, then every base table.
 * `ifnotexists` and `dropcreate` both create the database only if missing; `dropcreate` then drops
 * and recreates its exported tables, never the database itself (it may hold other tables).
 */
export async function writeMysqlDatabaseDdl(session: ExtractionSession, databases: readonly string[], option: DdlOption | undefined): Promise<string> {
  const db = session.connection.kysely;
  const blocks = await withMysqlShowSettings(db, async () => {
    const out: string[] = [];
    for (const name of databases) {
      const r = await sql<Record<string, string>>`SHOW CREATE DATABASE ${sql.id(name)}`.execute(db);
      let create = r.rows[0]?.['Create Database'];
      if (create === undefined) throw new HfitError('EXTRACTION_FAILED', `SHOW CREATE DATABASE returned nothing for "${name}"`);
      if (option) create = create.replace(/^CREATE DATABASE /, 'CREATE DATABASE IF NOT EXISTS ');
      const tables: TableInfo[] = [];
      for (const t of await session.catalog.listTables(name)) tables.push(await session.catalog.table({ database: name, table: t }));
      out.push(`${create};\nUSE ${quoteMysqlIdentifier(name)};\n\n${await tablesBlock(db, tables, option)}`);
    }
    return out.join('');
  });
  return `${ddlHeader('mysql', 'database', option)}\n\n${MYSQL_SCRIPT_PROLOGUE}\n${blocks}${MYSQL_SCRIPT_EPILOGUE}`;
}

/** Drops (for `dropcreate`, in reverse creation order) and creates of some tables of one script. */
async function tablesBlock(db: Kysely<any>, tables: readonly TableInfo[], option: DdlOption | undefined): Promise<string> {
  // FOREIGN_KEY_CHECKS=0 in the prologue already lets any order load, cycles included; the
  // dependency order still helps a reader and anyone loading with checks on.
  const ordered = orderTables(tables).tables;
  let out = '';
  if (option === 'dropcreate' && ordered.length) {
    out += `${[...ordered].reverse().map((t) => `DROP TABLE IF EXISTS ${quoteMysqlIdentifier(t.name)};`).join('\n')}\n\n`;
  }
  for (const t of ordered) out += `${await createTable(db, t, option)};\n\n`;
  return out;
}

/** `SHOW CREATE TABLE` of one catalog-checked table, made deterministic and option-aware. */
async function createTable(db: Kysely<any>, t: TableInfo, option: DdlOption | undefined): Promise<string> {
  const r = await sql<Record<string, string>>`SHOW CREATE TABLE ${sql.id(t.database, t.name)}`.execute(db);
  const text = r.rows[0]?.['Create Table'];
  if (text === undefined)
    throw new HfitError('EXTRACTION_FAILED', `SHOW CREATE TABLE returned no table definition for "${t.database}.${t.name}"`);
  const ddl = stripAutoIncrement(text);
  return option === 'ifnotexists' ? ddl.replace(/^CREATE TABLE /, 'CREATE TABLE IF NOT EXISTS ') : ddl;
}
