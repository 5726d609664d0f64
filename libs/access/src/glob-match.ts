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
  return names.length > 0 && segmentMatch(head!, names[0]!) && segmentsMatch(rest, names.slice(1));
}

/**
 * One pattern segment against one name (a source, database, table or volume name): a `/` inside
 * the name is an ordinary character there, matched by `*` like any other.
 */
export function segmentMatch(pattern: string, name: string): boolean {
  return globMatch(pattern, name.includes('/') ? name.replaceAll('/', SLASH_IN_NAME) : name);
}

/** Stands for a `/` inside one name while matching, so that `*` and `?` match it like any character. */
const SLASH_IN_NAME = '\u0000';

/** How many more names may follow a prefix in {@link segmentsPrefixMatch}. */
export interface MoreNames {
  readonly min: number;
  readonly max: number;
}

/**
 * Whether some list made of `prefix` followed by `more.min`..`more.max` further (arbitrary)
 * names could match `pattern`: a source or database is listed when some table inside it could be
 * granted (`more` exactly the missing levels), a volume folder when some file below it could be
 * (`more` at least one). A segment of the pattern other than `**` is assumed to match some name,
 * except an empty one (`a//b`), which matches none.
 */
export function segmentsPrefixMatch(pattern: readonly string[], prefix: readonly string[], more: MoreNames = { min: 0, max: Infinity }): boolean {
  if (prefix.length === 0) return restCanMatch(pattern, more);
  if (pattern.length === 0) return false;
  const [head, ...rest] = pattern;
  if (head === '**') {
    // The globstar takes 0..all of the prefix; with all of it taken it may take further names too.
    for (let skip = 0; skip <= prefix.length; skip++) if (segmentsPrefixMatch(rest, prefix.slice(skip), more)) return true;
    return restCanMatch(pattern, more);
  }
  return segmentMatch(head!, prefix[0]!) && segmentsPrefixMatch(rest, prefix.slice(1), more);
}

/** Whether `pattern` can match some list of `more.min`..`more.max` arbitrary names. */
function restCanMatch(pattern: readonly string[], more: MoreNames): boolean {
  if (pattern.some((s) => s === '')) return false;
  const fixed = pattern.filter((s) => s !== '**').length;
  const globstar = fixed < pattern.length;
  return globstar ? more.max >= Math.max(fixed, more.min) : more.min <= fixed && fixed <= more.max;
}
