import type { Cell } from '../row-stream-options.js';
import type { MysqlValueKind } from './mysql-value-kind.js';

/**
 * The pipeline {@link Cell} of one raw value: bytes for binary columns, the server's text form
 * (utf8mb4, decoded) for everything else, null for NULL. `escapes`: whether the value may be kept
 * beyond the current row (false when it is rendered at once).
 */
export function decodeMysqlCell(value: Buffer | null | undefined, kind: MysqlValueKind, escapes = true): Cell {
  if (value == null) return null;
  if (kind !== 'binary') return value.toString('utf8');
  // mysql2 hands out views of its network buffer: a value that may outlive the row (given to a
  // transform, which might keep it) is copied so that it cannot pin a whole socket chunk.
  return escapes ? Buffer.from(value) : value;
}
