/** One column as the source's catalog describes it. */
export interface ColumnInfo {
  readonly name: string;
  /** 1-based position in the table. */
  readonly ordinal: number;
  /**
   * Base type, lower case. MySQL: `DATA_TYPE` (`int`, `decimal`, `varbinary`, `geometry`, …).
   * PostgreSQL: `pg_type.typname` (`int4`, `numeric`, `timestamptz`, `_text` for arrays, enum names…).
   */
  readonly dataType: string;
  /** Full declared type: MySQL `COLUMN_TYPE` (`decimal(65,30) unsigned`), PostgreSQL `format_type()`. */
  readonly columnType: string;
  readonly nullable: boolean;
  /** Default expression as the catalog shows it, or null. */
  readonly defaultExpr: string | null;
  /** Generated (computed) column: never written by INSERTs of exported rows. */
  readonly generated: boolean;
  /** PostgreSQL `pg_type.typcategory` (`N` numeric, `B` boolean, `A` array, `E` enum, …); MySQL: ''. */
  readonly typeCategory: string;
  /** PostgreSQL `pg_type.typtype` (`b` base, `d` domain, `e` enum, `c` composite, `r` range); MySQL: ''. */
  readonly typeKind: string;
  /** PostgreSQL schema of the column's type (for enums/domains); MySQL: ''. */
  readonly typeSchema: string;
}

/** A foreign key of a table. */
export interface ForeignKeyInfo {
  readonly name: string;
  readonly columns: readonly string[];
  readonly refDatabase: string;
  readonly refTable: string;
  readonly refColumns: readonly string[];
}

/**
 * A table as introspected. `database` is the MySQL database or the PostgreSQL schema (inside the
 * source's configured database): templates name tables `database.table` either way.
 */
export interface TableInfo {
  readonly database: string;
  readonly name: string;
  readonly columns: readonly ColumnInfo[];
  readonly primaryKey: readonly string[];
  readonly foreignKeys: readonly ForeignKeyInfo[];
}

/** Reads the catalog of one dialect. Implementations only run constant SQL with bound values. */
export interface Introspector {
  listDatabases(): Promise<string[]>;
  listTables(database: string): Promise<string[]>;
  /** Columns/keys of an existing table (the caller has checked it exists). */
  describeTable(database: string, table: string): Promise<TableInfo>;
}
