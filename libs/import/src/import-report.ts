import type { CopiedFile } from './files/copy-volume-files.js';
import type { SkippedFile } from './package/plan-import.js';
import type { TargetDialect } from './target/target-dialect.js';

/** One table-data file loaded and committed. */
export interface ImportedTable {
  /** The table as named in the target: `database.table` (MySQL) or `schema.table` (PostgreSQL). */
  readonly table: string;
  /** Package path of the file. */
  readonly file: string;
  readonly rows: number;
  readonly durationMs: number;
}

/** One DDL file run. */
export interface ImportedDdl {
  readonly file: string;
  /** Statements in the file (MySQL `CREATE DATABASE` statements, mapped to the target, included). */
  readonly statements: number;
  readonly durationMs: number;
}

/** What {@link importPackage} did. */
export interface ImportReport {
  readonly target: {
    readonly dialect: TargetDialect;
    readonly database: string;
    /** The database was created by this import (`createDatabase`). */
    readonly created: boolean;
  };
  /** DDL files in the order they ran. */
  readonly ddl: readonly ImportedDdl[];
  /** Data files in the order they were loaded (parent tables first). */
  readonly tables: readonly ImportedTable[];
  /** Files left out, with the reason. */
  readonly skipped: readonly SkippedFile[];
  /** Volume files copied. */
  readonly files: readonly CopiedFile[];
  /** The folder volume files go to (whether or not the package has any). */
  readonly filesDir: string;
  /** Things the caller should know, e.g. that foreign-key checks could not be turned off. */
  readonly warnings: readonly string[];
  readonly durationMs: number;
}
