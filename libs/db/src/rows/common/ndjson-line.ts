import type { Cell } from '../row-stream-options.js';

/**
 * JSON text of one cell in hfit NDJSON: text as a JSON string exactly as the server printed it
 * (numbers, dates and JSON documents included: `"42"`, `"2024-01-01 00:00:00"`, `"{\"a\": 1}"`), so no
 * precision is lost to JavaScript numbers; SQL NULL as `null`; bytes as `{"$binary":"<base64>"}`.
 */
export function ndjsonValue(cell: Cell): string {
  if (cell === null) return 'null';
  if (typeof cell === 'string') return JSON.stringify(cell);
  return `{"$binary":"${cell.toString('base64')}"}`;
}

/**
 * Returns a function rendering one row as an NDJSON line: an object keyed by column name in column
 * order, terminated by `\n`. The keys are encoded once here, not once per row.
 */
export function createNdjsonLineRenderer(columnNames: readonly string[]): (cells: readonly Cell[]) => string {
  const keys = columnNames.map((name, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`);
  const empty = keys.length === 0;
  return (cells) => {
    if (empty) return '{}\n';
    let line = '';
    for (let i = 0; i < keys.length; i++) line += keys[i] + ndjsonValue(cells[i] ?? null);
    return `${line}}\n`;
  };
}
