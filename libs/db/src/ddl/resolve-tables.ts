import { HfitError } from '@hfit/contracts';
import type { Catalog, TableRef } from '../introspection/catalog.js';
import type { TableInfo } from '../introspection/table-info.js';

/**
 * Resolves template table names through the catalog (the identifier allow-list), drops duplicates
 * and sorts them by database then table, so the script does not depend on how the list was written.
 * @throws HfitError `TEMPLATE_INVALID` for an empty list; `DATABASE_UNKNOWN` / `TABLE_UNKNOWN` from
 * the catalog for names it does not know.
 */
export async function resolveTables(
  catalog: Catalog,
  tables: readonly (TableRef | string)[],
  field = 'tablelist',
): Promise<TableInfo[]> {
  if (tables.length === 0)
    throw new HfitError('TEMPLATE_INVALID', 'the table list is empty: name at least one table as database.table', { field });
  const byKey = new Map<string, TableInfo>();
  for (const [i, ref] of tables.entries()) {
    const info = await catalog.table(ref, `${field}.${i}`);
    byKey.set(tableKey(info), info);
  }
  return [...byKey.values()].sort(compareTables);
}

/** A map key for a table: database and name joined by NUL (which neither can contain). */
export function tableKey(t: { readonly database: string; readonly name: string }): string {
  return `${t.database}\u0000${t.name}`;
}

/** Orders tables by database, then name, by code unit (locale-independent, hence deterministic). */
export function compareTables(a: TableInfo, b: TableInfo): number {
  return compareCodeUnits(a.database, b.database) || compareCodeUnits(a.name, b.name);
}

/** Locale-independent string comparison. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
