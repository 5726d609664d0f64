import { HfitError } from '@hfit/contracts';

/** A `db.table` reference split in two (for PostgreSQL, `schema.table`). */
export interface TableRef {
  readonly database: string;
  readonly table: string;
}

/**
 * Splits `db.table` at its single dot.
 * @throws HfitError TABLE_UNKNOWN when it is not exactly two non-empty parts.
 */
export function splitTableRef(ref: string): TableRef {
  const dot = ref.indexOf('.');
  if (dot <= 0 || dot === ref.length - 1 || ref.indexOf('.', dot + 1) >= 0) {
    throw new HfitError('TABLE_UNKNOWN', `table "${ref}" must be written as database.table (one dot)`);
  }
  return { database: ref.slice(0, dot), table: ref.slice(dot + 1) };
}
