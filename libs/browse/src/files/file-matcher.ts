import picomatch from 'picomatch';
import type { FileCondition, FileSort } from './parse-file-filters.js';
import type { WalkedEntry } from './walk-volume-folder.js';

const DAY_MS = 86_400_000;

/**
 * One predicate for all conditions (all must hold). `now` is read once, so a long listing applies
 * one `mtime` cut-off throughout.
 */
export function fileMatcher(conditions: readonly FileCondition[], now: number): (entry: WalkedEntry) => boolean {
  const tests = conditions.map((c): ((e: WalkedEntry) => boolean) => {
    switch (c.kind) {
      case 'name': {
        // Same glob flavour as template globs (findVolumeFiles): `*` does not match a leading dot.
        const isMatch = picomatch(c.glob, { dot: false });
        return (e) => isMatch(e.name);
      }
      case 'mtime': {
        const cutoff = now - Math.abs(c.days) * DAY_MS;
        return c.days > 0 ? (e) => e.mtimeMs >= cutoff : (e) => e.mtimeMs < cutoff;
      }
      case 'size':
        switch (c.op) {
          case '<':
            return (e) => e.size < c.bytes;
          case '<=':
            return (e) => e.size <= c.bytes;
          case '=':
            return (e) => e.size === c.bytes;
          case '>=':
            return (e) => e.size >= c.bytes;
          case '>':
            return (e) => e.size > c.bytes;
        }
    }
  });
  return (e) => tests.every((t) => t(e));
}

/**
 * Comparator of a sort: by the key (names in code-unit order, not locale), then by path ascending,
 * so equal keys always come out in the same order.
 */
export function fileComparator(sort: FileSort): (a: WalkedEntry, b: WalkedEntry) => number {
  const dir = sort.order === 'asc' ? 1 : -1;
  const key = (e: WalkedEntry): number | string => (sort.key === 'mtime' ? e.mtimeMs : sort.key === 'size' ? e.size : e.name);
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    return (x < y ? -1 : x > y ? 1 : 0) * dir || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  };
}
