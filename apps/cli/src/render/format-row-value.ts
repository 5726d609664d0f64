import type { RowValue } from '@hfit/contracts';

/** A previewed value as a table cell: `NULL` for SQL NULL, binary values as `0x…` hex. */
export function formatRowValue(value: RowValue | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value;
  return `0x${Buffer.from(value.$binary, 'base64').toString('hex')}`;
}
