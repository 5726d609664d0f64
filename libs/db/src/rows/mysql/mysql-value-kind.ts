import type { ColumnInfo } from '../../introspection/table-info.js';

/**
 * How a MySQL/MariaDB column's values are written as SQL literals:
 * - `number`: the server's text form, unquoted (integers, DECIMAL, FLOAT/DOUBLE, YEAR);
 * - `binary`: raw bytes as a hex literal `0x…` (BINARY/VARBINARY/BLOB, BIT, spatial types);
 * - `text`: a quoted, escaped string (character types, ENUM/SET, temporal types, JSON, UUID/INET…).
 */
export type MysqlValueKind = 'number' | 'text' | 'binary';

const NUMBER_TYPES = new Set([
  'tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint',
  'decimal', 'numeric', 'dec', 'fixed', 'float', 'double', 'real', 'double precision', 'year',
]);

const BINARY_TYPES = new Set([
  'binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'bit', 'vector',
  'geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon',
  'geometrycollection', 'geomcollection',
]);

/**
 * The literal kind of a column, from its catalog `DATA_TYPE`. Unknown types are `text`: a quoted
 * string is the one literal every MySQL type accepts, so a new server type degrades safely.
 */
export function mysqlValueKind(column: ColumnInfo): MysqlValueKind {
  const t = column.dataType.toLowerCase();
  if (NUMBER_TYPES.has(t)) return 'number';
  if (BINARY_TYPES.has(t)) return 'binary';
  return 'text';
}
