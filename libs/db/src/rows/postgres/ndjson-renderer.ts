import { createNdjsonLineRenderer } from '../common/ndjson-line.js';
import type { Cell } from '../row-stream-options.js';
import type { PostgresExportTarget } from './postgres-export-target.js';
import type { PostgresRowRenderer } from './postgres-row-renderer.js';

const BYTEA_HEX = /^\\x(?:[0-9a-fA-F]{2})*$/;

/**
 * `ndjson` format with hfit's shared conventions (one object per row, values as the server's text,
 * bytes as `{"$binary": base64}`). bytea arrives as PostgreSQL's `\x…` text and is decoded to bytes
 * here; a string a transform put in a bytea column that is not hex text stays a string.
 */
export function createNdjsonRenderer(target: PostgresExportTarget): PostgresRowRenderer {
  const line = createNdjsonLineRenderer(target.columns.map((c) => c.name));
  const byteaAt = target.kinds.flatMap((k, i) => (k === 'bytea' ? [i] : []));
  const row = byteaAt.length
    ? (cells: readonly Cell[]) => {
        const copy = cells.slice();
        for (const i of byteaAt) {
          const v = copy[i];
          if (typeof v === 'string' && BYTEA_HEX.test(v)) copy[i] = Buffer.from(v.slice(2), 'hex');
        }
        return line(copy);
      }
    : line;
  return { begin: () => '', row, end: () => '' };
}
