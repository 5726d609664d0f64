import type { ForeignKeyInfo, TableInfo } from '../introspection/table-info.js';
import { compareTables, tableKey } from './resolve-tables.js';

/** Tables in creation order, and the foreign keys that cannot be declared with their table. */
export interface TableOrder {
  /** Every referenced exported table comes before the tables referencing it, cycles aside. */
  readonly tables: readonly TableInfo[];
  /**
   * Per table key ({@link tableKey}), the names of its foreign keys that reference an exported table
   * created later (a cycle): they must be added with `ALTER TABLE` once every table exists.
   */
  readonly deferred: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * Sorts tables so foreign keys among them are satisfied (Kahn's algorithm). Ties, and the table
 * chosen to break a cycle, go by database then name, so the order is deterministic. References to
 * tables outside the list and self-references impose no order.
 */
export function orderTables(tables: readonly TableInfo[]): TableOrder {
  const remaining = [...tables].sort(compareTables);
  const listed = new Set(remaining.map(tableKey));
  const created = new Set<string>();
  const refKey = (fk: ForeignKeyInfo) => tableKey({ database: fk.refDatabase, name: fk.refTable });
  const waitsFor = (t: TableInfo, fk: ForeignKeyInfo) => {
    const ref = refKey(fk);
    return ref !== tableKey(t) && listed.has(ref) && !created.has(ref);
  };
  const ordered: TableInfo[] = [];
  const deferred = new Map<string, Set<string>>();
  while (remaining.length) {
    let i = remaining.findIndex((t) => !t.foreignKeys.some((fk) => waitsFor(t, fk)));
    // Stuck: every remaining table waits on a cycle. Break it at its first table by name (not at a
    // table merely waiting on the cycle); that table's open references are added later.
    if (i < 0) i = Math.max(0, remaining.findIndex((t) => onCycle(t, remaining, waitsFor)));
    const [next] = remaining.splice(i, 1) as [TableInfo];
    const open = next.foreignKeys.filter((fk) => waitsFor(next, fk)).map((fk) => fk.name);
    if (open.length) deferred.set(tableKey(next), new Set(open));
    created.add(tableKey(next));
    ordered.push(next);
  }
  return { tables: ordered, deferred };
}

/** Whether `start` reaches itself following "waits for" references among the remaining tables. */
function onCycle(start: TableInfo, remaining: readonly TableInfo[], waitsFor: (t: TableInfo, fk: ForeignKeyInfo) => boolean): boolean {
  const byKey = new Map(remaining.map((t) => [tableKey(t), t]));
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const t = stack.pop() as TableInfo;
    for (const fk of t.foreignKeys) {
      if (!waitsFor(t, fk)) continue;
      const ref = tableKey({ database: fk.refDatabase, name: fk.refTable });
      if (ref === tableKey(start)) return true;
      const next = byKey.get(ref);
      if (next && !seen.has(ref)) {
        seen.add(ref);
        stack.push(next);
      }
    }
  }
  return false;
}
