import picomatch from 'picomatch';

const OPTIONS: picomatch.PicomatchOptions = { dot: true, nonegate: true, noextglob: true };
const cache = new Map<string, (value: string) => boolean>();

/** One glob against one string (`*` and `?` never match `/`; `**` does); dotfiles match too. */
export function globMatch(pattern: string, value: string): boolean {
  let matcher = cache.get(pattern);
  if (matcher === undefined) {
    matcher = picomatch(pattern, OPTIONS);
    if (cache.size > 10_000) cache.clear();
    cache.set(pattern, matcher);
  }
  return matcher(value);
}

/**
 * A `/`-separated pattern against a list of names, segment by segment, so that a name holding a
 * `/` is one segment (a MySQL table may be called `a/b`). A `**` segment matches any number of
 * segments.
 */
export function segmentsMatch(pattern: readonly string[], names: readonly string[]): boolean {
  if (pattern.length === 0) return names.length === 0;
  const [head, ...rest] = pattern;
  if (head === '**') {
    for (let skip = 0; skip <= names.length; skip++) if (segmentsMatch(rest, names.slice(skip))) return true;
    return false;
  }
  return names.length > 0 && globMatch(head!, names[0]!) && segmentsMatch(rest, names.slice(1));
}

/** Whether some longer list that starts with `prefix` could match `pattern` (a source or database is visible). */
export function segmentsPrefixMatch(pattern: readonly string[], prefix: readonly string[]): boolean {
  if (prefix.length === 0) return true;
  if (pattern.length === 0) return false;
  const [head, ...rest] = pattern;
  if (head === '**') return true;
  return globMatch(head!, prefix[0]!) && segmentsPrefixMatch(rest, prefix.slice(1));
}
