import type { Cell } from '../row-stream-options.js';
import { escapeCopyText } from './escape-copy-text.js';
import type { PostgresExportTarget } from './postgres-export-target.js';
import type { PostgresRowRenderer } from './postgres-row-renderer.js';
import { POSTGRES_SCRIPT_HEADER } from './postgres-script-header.js';
import { quotePostgresIdentifier, quotePostgresTable } from './quote-postgres-identifier.js';

/** First line of the COPY block (also used by the pass-through path, which writes rows verbatim). */
export function copyBlockOpening(target: PostgresExportTarget): string {
  const name = quotePostgresTable(target.table.database, target.table.name);
  const columns = target.columns.length ? ` (${target.columns.map((c) => quotePostgresIdentifier(c.name)).join(', ')})` : '';
  return `${POSTGRES_SCRIPT_HEADER}COPY ${name}${columns} FROM stdin;\n`;
}

/** The line that ends COPY data in a psql script. */
export const COPY_BLOCK_END = '\\.\n';

/** One value as a COPY text field: `\N` for NULL, bytes as `\\x…` (the escaped `\x` hex form). */
export function copyField(cell: Cell, bytea: boolean): string {
  if (cell === null) return '\\N';
  if (typeof cell === 'string') return escapeCopyText(cell);
  return bytea ? `\\\\x${cell.toString('hex')}` : escapeCopyText(cell.toString('utf8'));
}

/**
 * `copy` format: what pg_dump writes for table data, `COPY "schema"."table" (…) FROM stdin;`, one
 * tab-separated line per row in COPY text format, then `\.`; psql loads it with `-f`.
 * This renderer serves rows that were decoded (filtered exports, transforms); without either the
 * server's COPY output is passed through unchanged.
 */
export function createCopyBlockRenderer(target: PostgresExportTarget): PostgresRowRenderer {
  const bytea = target.kinds.map((k) => k === 'bytea');
  const n = bytea.length;
  return {
    begin: () => copyBlockOpening(target),
    row(cells: readonly Cell[]): string {
      if (n === 0) return '\n';
      let s = copyField(cells[0] ?? null, bytea[0]!);
      for (let i = 1; i < n; i++) s += `\t${copyField(cells[i] ?? null, bytea[i]!)}`;
      return `${s}\n`;
    },
    end: () => COPY_BLOCK_END,
  };
}
