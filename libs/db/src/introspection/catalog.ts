import type { SourceConfig } from '@hfit/config';
import { HfitError } from '@hfit/contracts';
import type { SourceConnection } from '../connection/source-connection.js';
import { MysqlIntrospector } from './mysql-introspector.js';
import { PostgresIntrospector } from './postgres-introspector.js';
import type { ColumnInfo, Introspector, TableInfo } from './table-info.js';

/** A table named by a template: `database.table` (PostgreSQL: `schema.table`). */
export interface TableRef {
  readonly database: string;
  readonly table: string;
}

/** Splits `db.table` (or `` `db`.`t` `` / `"db"."t"`) into its parts; anything else is an error. */
export function parseTableRef(ref: string, field?: string): TableRef {
  const m = /^(?:`([^`]+)`|"([^"]+)"|([^.`"]+))\.(?:`([^`]+)`|"([^"]+)"|([^`"]+))$/.exec(ref.trim());
  const database = m?.[1] ?? m?.[2] ?? m?.[3];
  const table = m?.[4] ?? m?.[5] ?? m?.[6];
  if (database === undefined || table === undefined)
    throw new HfitError('TABLE_UNKNOWN', `"${ref}" is not a table reference: write it as database.table`, {
      ...(field === undefined ? {} : { field }),
    });
  return { database, table };
}

/** Suggests the closest names, for "did you mean" hints. */
function closest(name: string, candidates: readonly string[]): string {
  const lower = name.toLowerCase();
  const hits = candidates.filter((c) => c.toLowerCase().includes(lower) || lower.includes(c.toLowerCase())).slice(0, 5);
  const list = hits.length ? hits : candidates.slice(0, 10);
  return list.length ? ` (known: ${list.join(', ')}${!hits.length && candidates.length > 10 ? ', …' : ''})` : '';
}

/**
 * The identifier allow-list of one source session: every database, table and column a query may
 * name must be found here first. Results are cached for the life of the session (one snapshot).
 */
export class Catalog {
  private readonly introspector: Introspector;
  private databases: Promise<string[]> | undefined;
  private readonly tables = new Map<string, Promise<string[]>>();
  private readonly described = new Map<string, Promise<TableInfo>>();

  constructor(
    readonly connection: SourceConnection,
    readonly source: SourceConfig,
  ) {
    this.introspector =
      connection.type === 'mysql' ? new MysqlIntrospector(connection.kysely) : new PostgresIntrospector(connection.kysely);
  }

  /** Databases (schemas) templates may read: all non-system ones, or the configured list. */
  listDatabases(): Promise<string[]> {
    this.databases ??= this.introspector.listDatabases().then((all) => {
      const allowed = this.source.databases;
      return allowed.length ? all.filter((d) => allowed.includes(d)) : all;
    });
    return this.databases;
  }

  /** Checks a database name against the allow-list; returns it as the catalog spells it. */
  async database(name: string, field?: string): Promise<string> {
    const all = await this.listDatabases();
    if (all.includes(name)) return name;
    throw new HfitError(
      'DATABASE_UNKNOWN',
      `source "${this.source.name}" has no readable database "${name}"${closest(name, all)}`,
      field === undefined ? {} : { field },
    );
  }

  /** Base tables of a database (checked first). */
  async listTables(database: string): Promise<string[]> {
    const db = await this.database(database);
    let p = this.tables.get(db);
    if (!p) {
      p = this.introspector.listTables(db);
      this.tables.set(db, p);
    }
    return p;
  }

  /** Resolves `db.table` (string or parts) to its description, or fails naming what is unknown. */
  async table(ref: string | TableRef, field?: string): Promise<TableInfo> {
    const { database, table } = typeof ref === 'string' ? parseTableRef(ref, field) : ref;
    const tables = await this.listTables(await this.database(database, field));
    if (!tables.includes(table))
      throw new HfitError(
        'TABLE_UNKNOWN',
        `source "${this.source.name}" has no table "${table}" in "${database}"${closest(table, tables)}`,
        field === undefined ? {} : { field },
      );
    const key = `${database}\u0000${table}`;
    let p = this.described.get(key);
    if (!p) {
      p = this.introspector.describeTable(database, table);
      this.described.set(key, p);
    }
    return p;
  }

  /**
   * Finds a column of a table. MySQL column names compare case-insensitively; PostgreSQL ones
   * exactly (the filter parser folds unquoted names to lower case first, as PostgreSQL does).
   */
  column(table: TableInfo, name: string, field?: string): ColumnInfo {
    const found =
      this.connection.type === 'mysql'
        ? table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase())
        : table.columns.find((c) => c.name === name);
    if (found) return found;
    throw new HfitError(
      'COLUMN_UNKNOWN',
      `table "${table.database}.${table.name}" has no column "${name}"${closest(name, table.columns.map((c) => c.name))}`,
      field === undefined ? {} : { field },
    );
  }
}
