/** Most characters of a statement an error message quotes. */
export const EXCERPT_CHARS = 80;

/**
 * The start of a statement for an error message: whitespace runs collapsed to one space, cut at
 * {@link EXCERPT_CHARS} characters with `…`, so a message names the statement (its kind, table and
 * columns) without carrying more than a few data values.
 */
export function statementExcerpt(text: string, max = EXCERPT_CHARS): string {
  const flat = text.slice(0, max * 4).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
