import type { Cell } from '../row-stream-options.js';

/**
 * Renders rows of one table in one output format. Rows are already decoded into {@link Cell}s
 * (strings in PostgreSQL's text form, bytea as `\x…` text or a Buffer, null for NULL).
 */
export interface PostgresRowRenderer {
  /** Text before the first row (session settings, COPY command, CSV header…). */
  begin(): string;
  /** Text of one row; formats that batch (multi-row INSERT) return the row's part of a statement. */
  row(cells: readonly Cell[]): string;
  /** Text after the last row (closes an open INSERT, COPY's `\.`). */
  end(): string;
}
