/** A strong entity tag for a sha256: `"<hex>"`. */
export function strongEtag(sha256: string): string {
  return `"${sha256}"`;
}

/** The entity tags of an `If-None-Match` / `If-Match` list, or `*`. */
function parseTagList(header: string): '*' | string[] {
  if (header.trim() === '*') return '*';
  const tags: string[] = [];
  for (const m of header.matchAll(/(W\/)?"([^"]*)"/g)) tags.push(`${m[1] ?? ''}"${m[2]}"`);
  return tags;
}

function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/**
 * `If-None-Match` with the weak comparison RFC 9110 §13.1.2 prescribes: true when `*` or any
 * listed tag has the same opaque value as `etag`, ignoring `W/` prefixes.
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = parseTagList(header);
  return tags === '*' || tags.some((t) => opaque(t) === opaque(etag));
}

/**
 * Whether a range request may be honoured under `If-Range` (RFC 9110 §13.1.5): without the header,
 * yes; with an entity tag, only when it matches `etag` by strong comparison (a weak tag never
 * does, nor any when there is no `etag`); with an HTTP date, only when it equals `lastModified` to
 * the second. Otherwise the
 * representation changed and the whole body is sent.
 */
export function ifRangeAllows(header: string | undefined, etag: string | undefined, lastModified?: Date): boolean {
  if (header === undefined) return true;
  const value = header.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return !value.startsWith('W/') && value === etag;
  if (lastModified === undefined) return false;
  const date = Date.parse(value);
  return !Number.isNaN(date) && Math.floor(date / 1000) === Math.floor(lastModified.getTime() / 1000);
}
