import type { SourceType } from '../connection/source-connection.js';

/** Result of reading one quoted string: its value and the index just past the closing quote. */
export interface ReadString {
  readonly value: string;
  readonly end: number;
}

/** Why a string could not be read (the caller turns it into a positioned FILTER_SYNTAX error). */
export class StringLiteralError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** MySQL backslash escapes (server default: NO_BACKSLASH_ESCAPES off). `\%` and `\_` keep the backslash for LIKE. */
const MYSQL_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  "'": "'",
  '"': '"',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\x1a',
  '\\': '\\',
  '%': '\\%',
  _: '\\_',
};

/** PostgreSQL `E'…'` single-letter escapes. */
const PG_ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * Decodes the string literal whose opening quote is at `start`, exactly as the source server
 * would, so the bound parameter holds the value the author meant:
 * - MySQL/MariaDB `'…'` and `"…"`: doubled quote, backslash escapes (`\n`, `\'`, `\\`, `\%`…);
 * - PostgreSQL `'…'` (standard_conforming_strings): doubled quote only, backslash is literal;
 * - PostgreSQL `E'…'` (`escape: true`): doubled quote plus `\b \f \n \r \t \\ \' \ooo \xhh \uXXXX \UXXXXXXXX`.
 */
export function readStringLiteral(text: string, start: number, dialect: SourceType, escape: boolean): ReadString {
  const quote = text[start];
  if (quote === undefined) throw new StringLiteralError('expected a string literal', start);
  const backslash = dialect === 'mysql' || escape;
  let value = '';
  let i = start + 1;
  for (;;) {
    const c = text[i];
    if (c === undefined) throw new StringLiteralError(`unterminated string literal (missing closing ${quote})`, start);
    if (c === quote) {
      if (text[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      i += 1;
      break;
    }
    if (c === '\\' && backslash) {
      const n = text[i + 1];
      if (n === undefined) throw new StringLiteralError(`unterminated string literal (missing closing ${quote})`, start);
      if (dialect === 'mysql') {
        value += MYSQL_ESCAPES[n] ?? n;
        i += 2;
      } else {
        const r = readPgEscape(text, i);
        value += r.value;
        i = r.end;
      }
      continue;
    }
    value += c;
    i += 1;
  }
  if (dialect === 'postgres' && value.includes('\0'))
    throw new StringLiteralError('PostgreSQL strings cannot contain the NUL character', start);
  return { value, end: i };
}

/** One backslash escape of a PostgreSQL `E'…'` string starting at `at` (the backslash). */
function readPgEscape(text: string, at: number): ReadString {
  const n = text[at + 1] ?? '';
  const simple = PG_ESCAPES[n];
  if (simple !== undefined) return { value: simple, end: at + 2 };
  let m: RegExpExecArray | null;
  let code: number | undefined;
  let end = at + 2;
  if ((m = /^[0-7]{1,3}/.exec(text.slice(at + 1, at + 4)))) {
    code = parseInt(m[0], 8);
    end = at + 1 + m[0].length;
  } else if (n === 'x' && (m = /^[0-9A-Fa-f]{1,2}/.exec(text.slice(at + 2, at + 4)))) {
    code = parseInt(m[0], 16);
    end = at + 2 + m[0].length;
  } else if (n === 'u' || n === 'U') {
    const len = n === 'u' ? 4 : 8;
    const hex = text.slice(at + 2, at + 2 + len);
    if (!new RegExp(`^[0-9A-Fa-f]{${len}}$`).test(hex)) throw new StringLiteralError(`invalid Unicode escape \\${n}${hex}`, at);
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new StringLiteralError(`invalid Unicode code point \\${n}${hex}`, at);
    return { value: String.fromCodePoint(cp), end: at + 2 + len };
  }
  if (code === undefined) return { value: n, end: at + 2 };
  // Octal/hex escapes produce bytes; above 0x7f they would be half of a UTF-8 sequence, which
  // PostgreSQL validates against the encoding. Refuse rather than guess.
  if (code > 0x7f) throw new StringLiteralError('byte escapes above \\x7f are not supported: use \\uXXXX', at);
  return { value: String.fromCharCode(code), end };
}
