import { HfitError } from '@hfit/contracts';

/**
 * First characters of names the file-system store keeps for itself (temp files of publishes in
 * progress, metadata side files). Keys may not use them, so an object can never be mistaken for
 * staging data and removed by `cleanupStaging`, nor overwrite another object's metadata.
 */
export const RESERVED_NAME_PREFIX = '.hfit-';

/** Longest key, in UTF-8 bytes: S3's limit. */
export const MAX_KEY_BYTES = 1024;

const CONTROL = /[\u0000-\u001f\u007f]/;

function textProblem(text: string): string | undefined {
  // NUL ends a path in C APIs; other control characters make listings and logs lie.
  if (CONTROL.test(text)) return 'contains a control character';
  if (text.includes('\\')) return 'contains "\\": use "/" to separate folders';
  if (text.startsWith('/')) return 'starts with "/": use a path relative to the store root';
  if (/^[A-Za-z]:/.test(text)) return 'starts with a drive letter: use a path relative to the store root';
  if (Buffer.byteLength(text) > MAX_KEY_BYTES) return `is longer than ${MAX_KEY_BYTES} bytes`;
  return undefined;
}

function segmentProblem(segment: string): string | undefined {
  if (segment === '') return 'has an empty path segment ("//", or a trailing "/")';
  if (segment === '.' || segment === '..') return `has a "${segment}" segment: keys must stay inside the store`;
  if (segment.startsWith(RESERVED_NAME_PREFIX)) return `has a segment starting with "${RESERVED_NAME_PREFIX}", which the store reserves`;
  return undefined;
}

/**
 * Why `key` cannot name an object, or `undefined` when it can. A key is a relative `/`-separated
 * path: not empty, no leading `/`, drive letter, `\`, control character (NUL included), no empty,
 * `.` or `..` segment, no segment starting with {@link RESERVED_NAME_PREFIX}, at most
 * {@link MAX_KEY_BYTES} bytes. Such a key maps to a file inside the fs store's root.
 */
export function objectKeyProblem(key: string): string | undefined {
  if (key === '') return 'is empty';
  const t = textProblem(key);
  if (t !== undefined) return t;
  for (const segment of key.split('/')) {
    const s = segmentProblem(segment);
    if (s !== undefined) return s;
  }
  return undefined;
}

/**
 * Why `prefix` cannot select objects in {@link ObjectStore.list}, or `undefined` when it can: like a
 * key, but it may be empty (everything) and may end with `/` or in the middle of a name.
 */
export function listPrefixProblem(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  const t = textProblem(prefix);
  if (t !== undefined) return t;
  const segments = prefix.split('/');
  const last = segments.pop() ?? '';
  for (const segment of segments) {
    const s = segmentProblem(segment);
    if (s !== undefined) return s;
  }
  // The last segment is a name prefix: "." or ".." could still only match names inside the store,
  // but a ".." there reads like an escape attempt, so it is refused like in a key.
  if (last === '.' || last === '..') return `has a "${last}" segment: keys must stay inside the store`;
  return undefined;
}

/**
 * Throws `STORAGE_KEY_INVALID` naming `key` and the problem, unless it is a valid object key.
 * @param what - how to name the value in the message, e.g. `object key` or `list prefix`.
 */
export function assertObjectKey(key: string, what = 'object key'): void {
  const problem = objectKeyProblem(key);
  if (problem !== undefined) throw new HfitError('STORAGE_KEY_INVALID', `Invalid ${what} ${JSON.stringify(key)}: it ${problem}`);
}

/** Throws `STORAGE_KEY_INVALID` unless `prefix` is a valid list prefix. */
export function assertListPrefix(prefix: string): void {
  const problem = listPrefixProblem(prefix);
  if (problem !== undefined) throw new HfitError('STORAGE_KEY_INVALID', `Invalid list prefix ${JSON.stringify(prefix)}: it ${problem}`);
}
