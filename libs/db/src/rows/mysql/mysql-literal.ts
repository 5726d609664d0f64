import type { Cell } from '../row-stream-options.js';
import type { MysqlValueKind } from './mysql-value-kind.js';

// The characters mysql's client libraries escape inside '…' (mysqljs SqlString and
// mysql_real_escape_string): NUL, quotes, backspace, LF, CR, TAB, Ctrl-Z (Windows EOF) and backslash.
const ESCAPABLE = /[\0'"\b\n\r\t\x1a\\]/;
const ESCAPABLE_ALL = /[\0'"\b\n\r\t\x1a\\]/g;
const ESCAPES: Readonly<Record<string, string>> = {
  '\0': '\\0', "'": "\\'", '"': '\\"', '\b': '\\b', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x1a': '\\Z', '\\': '\\\\',
};

// A plain decimal or float number as the server prints it: the only text ever written unquoted.
const NUMBER_TEXT = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * A MySQL string literal `'…'` with the client-library escapes. Loads back bit-identically under
 * `SET NAMES utf8mb4` with `NO_BACKSLASH_ESCAPES` off (the dump header guarantees both).
 */
export function mysqlStringLiteral(text: string): string {
  return ESCAPABLE.test(text) ? `'${text.replace(ESCAPABLE_ALL, (c) => ESCAPES[c] ?? c)}'` : `'${text}'`;
}

/**
 * A MySQL literal for one cell: `NULL`; bytes as `0x…` (empty bytes as `''`, since `0x` alone is
 * not a literal); numbers unquoted when the column is numeric and the text is a plain number
 * (anything else, e.g. a masked value, is quoted so it can never become SQL); text quoted.
 */
export function mysqlLiteral(cell: Cell, kind: MysqlValueKind): string {
  if (cell === null) return 'NULL';
  if (typeof cell !== 'string') return cell.length === 0 ? "''" : `0x${cell.toString('hex')}`;
  if (kind === 'number' && NUMBER_TEXT.test(cell)) return cell;
  return mysqlStringLiteral(cell);
}

/** Whether `text` may be written unquoted as a number literal. */
export function isMysqlNumberText(text: string): boolean {
  return NUMBER_TEXT.test(text);
}

/** A backtick-quoted MySQL identifier (backticks doubled), for the INSERT statements of a dump. */
export function mysqlIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}
