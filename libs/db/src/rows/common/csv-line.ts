import type { Cell } from '../row-stream-options.js';

/**
 * Line terminator of hfit CSV. RFC 4180 §2 prescribes CRLF; every CSV reader (PostgreSQL `COPY … CSV`,
 * MySQL `LOAD DATA … LINES TERMINATED BY '\r\n'`, spreadsheets, Python's csv) accepts it.
 */
export const CSV_LINE_END = '\r\n';

// A field needs quotes when it holds the separator, a quote or a line break (RFC 4180 §2.6).
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Encodes one cell as an RFC 4180 field.
 *
 * - SQL NULL is an empty, unquoted field; the empty string is `""`. Readers that distinguish the two
 *   (PostgreSQL `COPY … CSV`, pandas `keep_default_na`) therefore round-trip NULL vs ''.
 * - Text is written as is, quoted (with `"` doubled) only when it holds `,` `"` CR or LF.
 * - Bytes (binary columns) are `\x` followed by lower-case hex, the form PostgreSQL prints `bytea`
 *   in and `COPY … CSV` reads back; the column type tells a reader which fields are hex.
 */
export function csvField(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell !== 'string') return `\\x${cell.toString('hex')}`;
  if (cell === '') return '""';
  return NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** One CSV record (fields joined by `,`, terminated by {@link CSV_LINE_END}). */
export function csvLine(cells: readonly Cell[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) line += (i === 0 ? '' : ',') + csvField(cells[i] ?? null);
  return line + CSV_LINE_END;
}

/** The header record: the column names, quoted where RFC 4180 requires it. */
export function csvHeader(columnNames: readonly string[]): string {
  return csvLine(columnNames);
}
