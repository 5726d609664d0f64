import type { Expression, SqlBool } from 'kysely';
import type { RowFormat } from '@hfit/contracts';
import type { ColumnInfo, TableInfo } from '../introspection/table-info.js';

/**
 * One value as the row pipeline carries it: the text form the server sent (numbers, dates, JSON,
 * arrays… exactly as the server prints them), raw bytes for binary columns, or null for SQL NULL.
 */
export type Cell = string | Buffer | null;

/** Per-column transform hook (masking plugs in here). Must be pure and deterministic. */
export type CellTransform = (value: Cell, column: ColumnInfo) => Cell;

/** Options of {@link streamTableRows}. */
export interface RowStreamOptions {
  /** The table, as resolved by the session's catalog (its columns are the allow-list). */
  readonly table: TableInfo;
  /** Validated filter rebuilt by the filter compiler; undefined = every row. */
  readonly where?: Expression<SqlBool> | undefined;
  /** Output format; `copy` is PostgreSQL only. */
  readonly format: RowFormat;
  /** Rows per multi-row INSERT (`sql` format). */
  readonly batchSize: number;
  /** Column name -> transform. Columns not listed pass through unchanged. */
  readonly transforms?: ReadonlyMap<string, CellTransform> | undefined;
  /**
   * At most this many rows (the first ones in primary-key order), sent as a bound `LIMIT`
   * parameter; undefined = all rows. A whole number, 0 or more. Previews use it.
   */
  readonly limit?: number | undefined;
  /** Aborts the extraction (the stream errors with the signal's reason). */
  readonly signal?: AbortSignal | undefined;
}

/** What {@link streamTableRows} reports once the stream has ended. */
export interface RowStreamResult {
  readonly rows: number;
}
