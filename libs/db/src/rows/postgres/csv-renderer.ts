import { csvHeader, csvLine } from '../common/csv-line.js';
import type { PostgresExportTarget } from './postgres-export-target.js';
import type { PostgresRowRenderer } from './postgres-row-renderer.js';

/**
 * `csv` format with hfit's shared conventions (header record, NULL = empty field, '' = `""`, CRLF).
 * bytea values arrive as PostgreSQL's `\x…` text, which is exactly the shared form for bytes, so no
 * decoding is needed.
 */
export function createCsvRenderer(target: PostgresExportTarget): PostgresRowRenderer {
  return {
    begin: () => csvHeader(target.columns.map((c) => c.name)),
    row: csvLine,
    end: () => '',
  };
}
