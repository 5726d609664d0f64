import type { ColumnInfo } from '../../introspection/table-info.js';
import type { Cell, CellTransform } from '../row-stream-options.js';
import { csvHeader, csvLine } from '../common/csv-line.js';
import { createNdjsonLineRenderer } from '../common/ndjson-line.js';
import { decodeMysqlCell } from './decode-mysql-cell.js';
import type { RawRow } from './mysql-insert-encoder.js';
import type { MysqlRowSink } from './mysql-row-sink.js';
import { mysqlValueKind } from './mysql-value-kind.js';
import { regrowBuffer } from '../common/regrow-buffer.js';

/**
 * `csv` / `ndjson` sink: decodes each row to {@link Cell}s, applies the transforms, renders one
 * line with the shared encoders (see `common/csv-line.ts`, `common/ndjson-line.ts` for NULL, empty
 * string and binary conventions). The CSV header line is rendered at construction.
 */
export function createMysqlTextSink(
  format: 'csv' | 'ndjson',
  columns: readonly ColumnInfo[],
  transforms: ReadonlyMap<string, CellTransform> | undefined,
): MysqlRowSink {
  const names = columns.map((c) => c.name);
  const render = format === 'csv' ? csvLine : createNdjsonLineRenderer(names);
  const sink = new TextLineSink(columns, transforms, render);
  if (format === 'csv') sink.append(csvHeader(names));
  return sink;
}

/** Size of the output buffers lines are encoded into. */
const BUFFER_BYTES = 1024 * 1024;

class TextLineSink implements MysqlRowSink {
  // Lines are UTF-8 encoded into one large buffer as they come: cheaper than growing a string
  // rope and having the destination flatten and encode it in one go.
  private buf = Buffer.allocUnsafe(BUFFER_BYTES);
  private start = 0;
  private pos = 0;
  private readonly kinds;
  private readonly hooks;
  private readonly cells: Cell[];

  constructor(
    private readonly columns: readonly ColumnInfo[],
    transforms: ReadonlyMap<string, CellTransform> | undefined,
    private readonly render: (cells: readonly Cell[]) => string,
  ) {
    this.kinds = columns.map(mysqlValueKind);
    this.hooks = columns.map((c) => transforms?.get(c.name));
    this.cells = new Array<Cell>(columns.length).fill(null);
  }

  get pendingBytes(): number {
    return this.pos - this.start;
  }

  append(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
    const need = text.length * 3;
    if (this.buf.length - this.pos < need) {
      this.buf = regrowBuffer(this.buf, this.start, this.pos, need, BUFFER_BYTES);
      this.pos -= this.start;
      this.start = 0;
    }
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  row(raw: RawRow): void {
    for (let i = 0; i < this.kinds.length; i++) {
      const hook = this.hooks[i];
      this.cells[i] = hook === undefined ? decodeMysqlCell(raw[i], this.kinds[i]!, false) : hook(decodeMysqlCell(raw[i], this.kinds[i]!), this.columns[i]!);
    }
    this.append(this.render(this.cells));
  }

  /** The bytes encoded since the last call; never written again, so safe to hand to a stream. */
  take(): Buffer | undefined {
    if (this.pos === this.start) return undefined;
    const chunk = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    return chunk;
  }

  end(): void {}
}
