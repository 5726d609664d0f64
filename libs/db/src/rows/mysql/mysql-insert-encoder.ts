import type { MysqlValueKind } from './mysql-value-kind.js';
import { regrowBuffer } from '../common/regrow-buffer.js';

/**
 * One row as mysql2 returns it with `typeCast: false`: each value is the exact bytes the server sent
 * (its text form for numbers, dates and strings in the connection's utf8mb4, raw bytes for binary
 * columns), or null.
 */
export type RawRow = readonly (Buffer | null)[];

const KIND_NUMBER = 0;
const KIND_TEXT = 1;
const KIND_BINARY = 2;
const KIND_CODES: Readonly<Record<MysqlValueKind, number>> = { number: KIND_NUMBER, text: KIND_TEXT, binary: KIND_BINARY };

/** The encoder's code for a literal kind, for the per-row overrides of {@link MysqlInsertEncoder.row}. */
export function encoderKindCode(kind: MysqlValueKind): number {
  return KIND_CODES[kind];
}

/** Escape table: 0 = copy the byte, else the letter to write after a backslash (mysql's escapes). */
const ESCAPE = new Uint8Array(256);
ESCAPE[0x00] = 0x30; // \0
ESCAPE[0x27] = 0x27; // \'
ESCAPE[0x22] = 0x22; // \"
ESCAPE[0x08] = 0x62; // \b
ESCAPE[0x0a] = 0x6e; // \n
ESCAPE[0x0d] = 0x72; // \r
ESCAPE[0x09] = 0x74; // \t
ESCAPE[0x1a] = 0x5a; // \Z
ESCAPE[0x5c] = 0x5c; // \\

const HEX = Buffer.from('0123456789abcdef', 'latin1');
const NULL_BYTES = Buffer.from('NULL', 'latin1');
/** Values longer than this go through native copies/hex encoding; shorter ones through JS loops. */
const NATIVE_THRESHOLD = 256;
/** Size of the output buffers rows are rendered into. */
const BUFFER_BYTES = 1024 * 1024;

/**
 * Renders raw MySQL rows straight into bytes of multi-row INSERT statements (`batchSize` rows each),
 * without decoding values to JavaScript strings: every escape character of mysql's string syntax is
 * ASCII, so escaping the UTF-8 bytes is exact and skips a decode and an encode per value. Output
 * collects in large buffers; {@link take} hands out what has been rendered since the last call.
 */
export class MysqlInsertEncoder {
  private readonly kinds: Uint8Array;
  private readonly prefix: Buffer;
  private buf = Buffer.allocUnsafe(BUFFER_BYTES);
  private start = 0;
  private pos = 0;
  private inBatch = 0;

  /**
   * @param kinds literal kind of each value of a row, in row order.
   * @param statementPrefix e.g. ``INSERT INTO `t` (`a`, `b`) VALUES``.
   * @param batchSize rows per INSERT statement (positive integer).
   */
  constructor(
    kinds: readonly MysqlValueKind[],
    statementPrefix: string,
    private readonly batchSize: number,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    this.kinds = Uint8Array.from(kinds, encoderKindCode);
    this.prefix = Buffer.from(`${statementPrefix}\n`, 'utf8');
  }

  /** Bytes rendered and not yet taken. */
  get pendingBytes(): number {
    return this.pos - this.start;
  }

  /**
   * Appends one row tuple. `rowKinds`, when given, overrides the column kinds for this row (used
   * for transformed values, whose literal form depends on what the transform returned).
   */
  row(values: RawRow, rowKinds?: Uint8Array): void {
    const kinds = rowKinds ?? this.kinds;
    const n = kinds.length;
    // Worst case: every byte escaped or hex-encoded, plus quotes/0x and the separator.
    let need = this.prefix.length + 8;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      need += v == null ? 5 : 2 * v.length + 4;
    }
    if (this.buf.length - this.pos < need) this.grow(need);
    const out = this.buf;
    let p = this.pos;
    if (this.inBatch === 0) p += this.prefix.copy(out, p);
    else {
      out[p++] = 0x2c; // ,
      out[p++] = 0x0a; // \n
    }
    out[p++] = 0x28; // (
    for (let i = 0; i < n; i++) {
      if (i !== 0) out[p++] = 0x2c;
      const v = values[i];
      if (v == null) {
        p += NULL_BYTES.copy(out, p);
        continue;
      }
      const len = v.length;
      const kind = kinds[i];
      if (kind === KIND_NUMBER) {
        if (len > NATIVE_THRESHOLD) p += v.copy(out, p);
        else for (let j = 0; j < len; j++) out[p++] = v[j]!;
      } else if (kind === KIND_TEXT) {
        out[p++] = 0x27;
        for (let j = 0; j < len; j++) {
          const b = v[j]!;
          const e = ESCAPE[b]!;
          if (e === 0) out[p++] = b;
          else {
            out[p++] = 0x5c;
            out[p++] = e;
          }
        }
        out[p++] = 0x27;
      } else if (len === 0) {
        // `0x` alone is not a literal: the empty binary string is ''.
        out[p++] = 0x27;
        out[p++] = 0x27;
      } else {
        out[p++] = 0x30; // 0
        out[p++] = 0x78; // x
        if (len > NATIVE_THRESHOLD) p += out.write(v.toString('hex'), p, 'latin1');
        else
          for (let j = 0; j < len; j++) {
            const b = v[j]!;
            out[p++] = HEX[b >> 4]!;
            out[p++] = HEX[b & 15]!;
          }
      }
    }
    out[p++] = 0x29; // )
    if (++this.inBatch === this.batchSize) {
      out[p++] = 0x3b; // ;
      out[p++] = 0x0a;
      this.inBatch = 0;
    }
    this.pos = p;
  }

  /** Terminates the open INSERT statement, if any. */
  end(): void {
    if (this.inBatch === 0) return;
    if (this.buf.length - this.pos < 2) this.grow(2);
    this.buf[this.pos++] = 0x3b;
    this.buf[this.pos++] = 0x0a;
    this.inBatch = 0;
  }

  /**
   * Hands out the bytes rendered since the last call (undefined when nothing is pending). The
   * returned buffer is never written again, so it may be passed to a stream as is.
   */
  take(): Buffer | undefined {
    if (this.pos === this.start) return undefined;
    const chunk = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    return chunk;
  }

  /** Moves pending bytes to a fresh buffer with room for at least `need` more bytes. */
  private grow(need: number): void {
    this.buf = regrowBuffer(this.buf, this.start, this.pos, need, BUFFER_BYTES);
    this.pos -= this.start;
    this.start = 0;
  }
}
