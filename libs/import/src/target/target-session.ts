import type { TargetDialect } from './target-dialect.js';

/** A table of the target: MySQL `database.table` (always the target database), PostgreSQL `schema.table`. */
export interface TargetTable {
  readonly schema: string;
  readonly name: string;
}

/** `schema.table` as reports and messages show it. */
export function targetTableName(t: TargetTable): string {
  return `${t.schema}.${t.name}`;
}

/** A key telling tables apart even when their names contain dots. */
export function targetTableKey(t: TargetTable): string {
  return `${t.schema}\u0000${t.name}`;
}

/** A bound parameter value: text (the server converts it to the column's type), bytes, or NULL. */
export type BoundValue = string | Buffer | null;

/** A COPY FROM STDIN in progress (PostgreSQL): data goes in as text, the row count comes out. */
export interface CopyIn {
  /** Sends COPY text-format data, waiting while the connection is busy. */
  write(text: string): Promise<void>;
  /** Ends the data and resolves with the rows the server loaded. */
  end(): Promise<number>;
  /** Abandons the COPY (the server discards what it received). */
  abort(reason: Error): Promise<void>;
}

/**
 * One session on the target, owned by the importer from open to {@link close}: the session
 * settings the import changes (foreign-key checks, replication role, time zone, SQL mode) live
 * and die with it.
 */
export interface TargetSession {
  readonly dialect: TargetDialect;
  /** Whether foreign-key checks are off in this session (see the openers for how and when). */
  readonly checksOff: boolean;
  /**
   * Runs one statement exactly as written (no parameters, no placeholders interpreted) and
   * resolves with the rows it inserted or changed (0 for other statements).
   */
  run(sql: string): Promise<number>;
  /** Runs one statement with bound parameters and resolves with the rows it inserted or changed. */
  runBound(sql: string, params: readonly BoundValue[]): Promise<number>;
  /** Starts `COPY … FROM STDIN` (PostgreSQL only). */
  copyIn(sql: string): Promise<CopyIn>;
  /** Quotes a name for SQL text. */
  quoteName(name: string): string;
  /** The n-th (1-based) bound parameter marker: `?` or `$n`. */
  placeholder(n: number): string;
  /** Column name to lower-case data type of a table, empty when the table does not exist. */
  columnTypes(table: TargetTable): Promise<Map<string, string>>;
  /** Foreign keys of the schemas of `tables` (others too), as `[child, parent]` pairs. */
  foreignKeys(tables: readonly TargetTable[]): Promise<[TargetTable, TargetTable][]>;
  close(): Promise<void>;
}
