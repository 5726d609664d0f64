import type { ColumnInfo } from '../../introspection/table-info.js';
import type { CellTransform } from '../row-stream-options.js';
import { decodeMysqlCell } from './decode-mysql-cell.js';
import { isMysqlNumberText, mysqlIdentifier } from './mysql-literal.js';
import { encoderKindCode, MysqlInsertEncoder, type RawRow } from './mysql-insert-encoder.js';
import type { MysqlRowSink } from './mysql-row-sink.js';
import { mysqlValueKind, type MysqlValueKind } from './mysql-value-kind.js';

const KIND_NUMBER = encoderKindCode('number');
const KIND_TEXT = encoderKindCode('text');
const KIND_BINARY = encoderKindCode('binary');

/**
 * `sql` format sink: multi-row INSERTs into the unqualified table (the importer picks the
 * database). Without transforms the raw bytes go straight to the encoder; with transforms only the
 * transformed columns are decoded, transformed and re-encoded, and the literal kind follows what the
 * transform returned (bytes -> hex, numeric text in a numeric column -> unquoted, else quoted).
 */
export function createMysqlInsertSink(
  tableName: string,
  columns: readonly ColumnInfo[],
  batchSize: number,
  transforms: ReadonlyMap<string, CellTransform> | undefined,
): MysqlRowSink {
  const kinds = columns.map(mysqlValueKind);
  const prefix = `INSERT INTO ${mysqlIdentifier(tableName)} (${columns.map((c) => mysqlIdentifier(c.name)).join(', ')}) VALUES`;
  const encoder = new MysqlInsertEncoder(kinds, prefix, batchSize);
  const hooks = columns.map((c) => transforms?.get(c.name));
  if (!hooks.some((h) => h !== undefined)) return encoder;
  return new TransformingInsertSink(encoder, columns, kinds, hooks);
}

class TransformingInsertSink implements MysqlRowSink {
  private readonly rowKinds: Uint8Array;
  private readonly values: (Buffer | null)[];

  constructor(
    private readonly encoder: MysqlInsertEncoder,
    private readonly columns: readonly ColumnInfo[],
    private readonly kinds: readonly MysqlValueKind[],
    private readonly hooks: readonly (CellTransform | undefined)[],
  ) {
    this.rowKinds = Uint8Array.from(kinds, encoderKindCode);
    this.values = new Array<Buffer | null>(columns.length).fill(null);
  }

  get pendingBytes(): number {
    return this.encoder.pendingBytes;
  }

  row(raw: RawRow): void {
    for (let i = 0; i < this.hooks.length; i++) {
      const hook = this.hooks[i];
      const kind = this.kinds[i]!;
      if (hook === undefined) {
        // Untransformed columns keep the kind set in the constructor.
        this.values[i] = raw[i] ?? null;
        continue;
      }
      const out = hook(decodeMysqlCell(raw[i], kind), this.columns[i]!);
      if (out === null) this.values[i] = null;
      else if (typeof out !== 'string') {
        this.values[i] = out;
        this.rowKinds[i] = KIND_BINARY;
      } else {
        this.values[i] = Buffer.from(out, 'utf8');
        this.rowKinds[i] = kind === 'number' && isMysqlNumberText(out) ? KIND_NUMBER : KIND_TEXT;
      }
    }
    this.encoder.row(this.values, this.rowKinds);
  }

  take(): Buffer | undefined {
    return this.encoder.take();
  }

  end(): void {
    this.encoder.end();
  }
}
