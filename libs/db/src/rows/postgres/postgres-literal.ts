import type { Cell } from '../row-stream-options.js';
import type { PostgresValueKind } from './postgres-value-kind.js';

const INTEGER = /^-?[0-9]+$/;
const DECIMAL = /^-?[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?$/;

/**
 * Quotes text as a standard SQL string literal: quotes doubled, backslashes literal. Correct only
 * where `standard_conforming_strings` is on, which every hfit SQL file sets in its header (and
 * which is the server default since 9.1). PostgreSQL text cannot contain NUL, so no other
 * character needs care; newlines and tabs stay as they are, as in pg_dump's output.
 */
export function quotePostgresString(text: string): string {
  return text.indexOf("'") === -1 ? `'${text}'` : `'${text.replaceAll("'", "''")}'`;
}

/**
 * Renders one value as a PostgreSQL literal for an INSERT, the way `pg_dump --inserts` does:
 * plain numbers bare, `true`/`false`, bytea as `'\x…'`, everything else as a quoted text literal
 * that the INSERT casts to the column's type (each VALUES row is coerced to the target columns, so
 * no explicit cast is needed even for enums, arrays, ranges or domains).
 *
 * A string is the value's PostgreSQL text form (for bytea: `\x…` hex); a Buffer is raw bytes
 * (bytea) or UTF-8 text (other types), as transforms may return either.
 */
export function postgresLiteral(value: Cell, kind: PostgresValueKind): string {
  if (value === null) return 'NULL';
  if (typeof value !== 'string') return kind === 'bytea' ? `'\\x${value.toString('hex')}'` : quotePostgresString(value.toString('utf8'));
  switch (kind) {
    case 'integer':
      return INTEGER.test(value) ? value : quotePostgresString(value);
    case 'decimal':
      // A bare `-0` is integer zero negated, which loses float negative zero: quote it.
      return value !== '-0' && DECIMAL.test(value) ? value : quotePostgresString(value);
    case 'bool':
      return value === 't' ? 'true' : value === 'f' ? 'false' : quotePostgresString(value);
    default:
      return quotePostgresString(value);
  }
}
