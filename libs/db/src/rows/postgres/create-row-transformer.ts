import { HfitError } from '@hfit/contracts';
import type { Cell, CellTransform } from '../row-stream-options.js';
import type { PostgresExportTarget } from './postgres-export-target.js';

const BYTEA_HEX = /^\\x(?:[0-9a-fA-F]{2})*$/;

/**
 * Builds the per-row step that applies `transforms` in place, or undefined when no transform
 * touches an exported column (then rows are never visited for it). bytea values are handed to
 * transforms as Buffers; whatever a transform returns is rendered as is (a string is the value's
 * PostgreSQL text form — for bytea, bytea input text such as `\x…`; a Buffer is raw bytes).
 *
 * A transform naming a column the table does not have is an error (a typo in masking rules must not
 * silently leak the real column); generated columns are not exported, their transforms are moot.
 */
export function createRowTransformer(
  target: PostgresExportTarget,
  transforms: ReadonlyMap<string, CellTransform> | undefined,
): ((cells: Cell[]) => void) | undefined {
  if (!transforms || transforms.size === 0) return undefined;
  for (const name of transforms.keys()) {
    if (!target.table.columns.some((c) => c.name === name))
      throw new HfitError(
        'COLUMN_UNKNOWN',
        `a transform names column "${name}", which table "${target.table.database}.${target.table.name}" does not have: fix the column name in the masking rules`,
      );
  }
  const steps = target.columns.flatMap((column, index) => {
    const fn = transforms.get(column.name);
    return fn ? [{ index, column, fn, bytea: target.kinds[index] === 'bytea' }] : [];
  });
  if (steps.length === 0) return undefined;
  return (cells) => {
    for (const { index, column, fn, bytea } of steps) {
      let v = cells[index] ?? null;
      if (bytea && typeof v === 'string' && BYTEA_HEX.test(v)) v = Buffer.from(v.slice(2), 'hex');
      cells[index] = fn(v, column);
    }
  };
}
