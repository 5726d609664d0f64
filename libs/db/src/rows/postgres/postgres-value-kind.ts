import type { ColumnInfo } from '../../introspection/table-info.js';

/**
 * How a PostgreSQL column's values are rendered. Everything that is not a plain number, a boolean or
 * bytes travels as a quoted text literal that the server casts on insert.
 *  - `integer`: int2/int4/int8/oid — bare digits;
 *  - `decimal`: numeric/float4/float8 — bare when the text is a plain number, quoted otherwise
 *    (`NaN`, `Infinity`, and float `-0`, whose sign a bare `-0` literal would lose);
 *  - `bool`: `true`/`false`;
 *  - `bytea`: hex text form `\x…`; a Buffer when handed to transforms;
 *  - `text`: any other type, including domains, enums, arrays, ranges, composites, json, dates.
 */
export type PostgresValueKind = 'integer' | 'decimal' | 'bool' | 'bytea' | 'text';

/**
 * The kind of a column by its base type name (`pg_type.typname`). Domains are `text` on purpose:
 * quoting is always correct for them, bare literals only for the built-in types listed.
 */
export function postgresValueKind(column: ColumnInfo): PostgresValueKind {
  switch (column.dataType) {
    case 'int2':
    case 'int4':
    case 'int8':
    case 'oid':
      return 'integer';
    case 'numeric':
    case 'float4':
    case 'float8':
      return 'decimal';
    case 'bool':
      return 'bool';
    case 'bytea':
      return 'bytea';
    default:
      return 'text';
  }
}
