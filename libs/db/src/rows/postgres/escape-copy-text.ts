const NEEDS_ESCAPE = /[\\\x08-\x0d]/;
const ESCAPABLE = /[\\\x08-\x0d]/g;
const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
};

/**
 * Encodes a value's text form as one field of PostgreSQL's COPY text format, escaping exactly the
 * characters the server's own COPY TO escapes (backslash, \b \t \n \v \f \r), so a field we write
 * is byte-identical to the one `pg_dump` would write. NULL (`\N`) is the caller's business.
 */
export function escapeCopyText(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPABLE, (c) => ESCAPES[c] ?? c) : value;
}
