/**
 * Orders items so that every item comes after the items it references (parents before children),
 * keeping the given order wherever the references allow it. Edges are `[child, parent]` keys;
 * edges naming an item not in `keys`, and self-references, are ignored. Items on a reference cycle
 * keep their given order after everything that could be placed.
 */
export function orderByForeignKeys(keys: readonly string[], edges: readonly (readonly [string, string])[]): string[] {
  const index = new Map(keys.map((k, i) => [k, i]));
  const parents = keys.map(() => new Set<number>());
  const children = keys.map(() => [] as number[]);
  for (const [child, parent] of edges) {
    const c = index.get(child);
    const p = index.get(parent);
    if (c === undefined || p === undefined || c === p || parents[c]!.has(p)) continue;
    parents[c]!.add(p);
    children[p]!.push(c);
  }
  const waiting = parents.map((s) => s.size);
  const placed = new Array<boolean>(keys.length).fill(false);
  const out: string[] = [];
  for (;;) {
    // The first item in given order whose parents are all placed: O(n²), for the few tables of a package.
    const next = waiting.findIndex((w, i) => w === 0 && !placed[i]);
    if (next === -1) break;
    placed[next] = true;
    out.push(keys[next]!);
    for (const c of children[next]!) waiting[c]!--;
  }
  keys.forEach((k, i) => {
    if (!placed[i]) out.push(k);
  });
  return out;
}
