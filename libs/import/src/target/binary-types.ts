import type { TargetDialect } from './target-dialect.js';

/** Data types whose values hfit's csv writes as `\x…` hex (bytes, not text), per dialect. */
const BINARY_TYPES: Readonly<Record<TargetDialect, ReadonlySet<string>>> = {
  mysql: new Set([
    'binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'bit', 'vector',
    'geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon',
    'geometrycollection', 'geomcollection',
  ]),
  postgres: new Set(['bytea']),
};

/** Whether a column of this data type (as the target's information_schema names it) holds bytes. */
export function isBinaryType(dialect: TargetDialect, dataType: string): boolean {
  return BINARY_TYPES[dialect].has(dataType.toLowerCase());
}
