import type { PostgresValueKind } from './postgres-value-kind.js';

const TAB = 0x09;
const NL = 0x0a;
const QUOTE = 0x27;
const BACKSLASH = 0x5c;
const NULL_BYTES = Buffer.from('NULL');
const TRUE_BYTES = Buffer.from('true');
const FALSE_BYTES = Buffer.from('false');
const NEXT_ROW = Buffer.from(',\n(');
const END_STATEMENT = Buffer.from(';\n');

/** Thrown when a COPY line does not have one field per exported column. */
export class CopyFieldCountError extends Error {
  constructor(readonly line: string) {
    super('COPY line has the wrong number of fields');
  }
}

/**
 * The `sql` fast path: turns the server's COPY text bytes straight into multi-row INSERT bytes, with
 * no per-value strings. It is the byte-level twin of decodeCopyLine + postgresLiteral + the
 * SQL renderer (same output, tested against them) and exists because that string pipeline spends
 * most of its time building and collecting millions of short strings.
 *
 * Per field: `\N` → `NULL`; integers and plain decimals copied bare; `t`/`f` → `true`/`false`;
 * bytea `\\x…` → `'\x…'`; anything else unescaped from COPY text and quoted with `'` doubled.
 * Bytes ≥ 0x80 are copied untouched, so UTF-8 needs no decoding. Output accumulates in one buffer
 * the caller takes when it is large enough.
 */
export class CopyToSqlConverter {
  /** Rows converted so far. */
  rows = 0;
  private out: Buffer;
  private o = 0;
  private tail: Buffer[] = [];
  private inBatch = 0;
  private readonly n: number;
  private readonly kindCodes: Uint8Array;
  private readonly opening: Buffer;
  /** Upper bound of the bytes one field adds beyond twice its length (NULL/true/false, quotes, `, `). */
  private readonly perRowOverhead: number;

  /**
   * @param kinds rendering kind per exported column (at least one).
   * @param opening `INSERT INTO … VALUES\n(` — the text starting each statement and its first row.
   * @param batchSize rows per statement.
   */
  constructor(
    kinds: readonly PostgresValueKind[],
    opening: string,
    private readonly batchSize: number,
    private readonly capacity = 512 * 1024,
  ) {
    this.n = kinds.length;
    this.kindCodes = Uint8Array.from(kinds, (k) => KIND_CODES[k]);
    this.opening = Buffer.from(opening, 'utf8');
    this.perRowOverhead = this.opening.length + 8 * this.n + 16;
    this.out = Buffer.allocUnsafe(capacity);
  }

  /** Bytes converted and not yet taken. */
  get size(): number {
    return this.o;
  }

  /** Bytes after the last complete line (a complete COPY stream leaves none). */
  get pendingBytes(): number {
    let n = 0;
    for (const b of this.tail) n += b.length;
    return n;
  }

  /** Converts the complete lines of `chunk` (and the tail before it). */
  push(chunk: Buffer): void {
    const last = chunk.lastIndexOf(NL);
    if (last === -1) {
      if (chunk.length) this.tail.push(chunk);
      return;
    }
    let start = 0;
    if (this.tail.length) {
      // Only the line cut between chunks is copied; the rest is converted where it lies.
      const first = chunk.indexOf(NL);
      this.tail.push(chunk.subarray(0, first + 1));
      const joined = Buffer.concat(this.tail);
      this.tail = [];
      this.convert(joined, 0, joined.length - 1);
      start = first + 1;
    }
    if (start <= last) this.convert(chunk, start, last);
    if (last + 1 < chunk.length) this.tail.push(chunk.subarray(last + 1));
  }

  /** Hands over the converted bytes (the buffer is not reused afterwards). */
  take(): Buffer {
    const done = this.out.subarray(0, this.o);
    this.out = Buffer.allocUnsafe(this.capacity);
    this.o = 0;
    return done;
  }

  /** Closes an open statement; call once after the last chunk, then {@link take}. */
  finish(): void {
    if (this.inBatch === 0) return;
    this.ensure(2);
    this.o += END_STATEMENT.copy(this.out, this.o);
    this.inBatch = 0;
  }

  private ensure(bytes: number): void {
    if (this.o + bytes <= this.out.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.o + bytes));
    this.out.copy(bigger, 0, 0, this.o);
    this.out = bigger;
  }

  /** Converts the lines of `data[start..end]`, `end` being the index of the last newline. */
  private convert(data: Buffer, start: number, end: number): void {
    const n = this.n;
    const kinds = this.kindCodes;
    let p = start;
    while (p <= end) {
      const lineEnd = data.indexOf(NL, p);
      this.ensure(2 * (lineEnd - p) + this.perRowOverhead);
      const out = this.out;
      let o = this.o;
      if (this.inBatch === 0) o += this.opening.copy(out, o);
      else o += NEXT_ROW.copy(out, o);
      const lineStart = p;
      for (let col = 0; col < n; col++) {
        if (col > 0) {
          if (data[p] !== TAB) throw new CopyFieldCountError(data.toString('utf8', lineStart, lineEnd));
          p++;
          out[o++] = 0x2c;
          out[o++] = 0x20;
        } else if (p > lineEnd) {
          throw new CopyFieldCountError(data.toString('utf8', lineStart, lineEnd));
        }
        // NULL: the whole field is `\N`.
        if (data[p] === BACKSLASH && data[p + 1] === 0x4e && (p + 2 === lineEnd || data[p + 2] === TAB)) {
          o += NULL_BYTES.copy(out, o);
          p += 2;
          continue;
        }
        const kind = kinds[col];
        if (kind === K_NUMBER || kind === K_DECIMAL) {
          let q = p;
          let plain = true;
          for (; q < lineEnd; q++) {
            const b = data[q]!;
            if (b === TAB) break;
            // Bare only for [-]digits[.digits][e±digits]; anything else (NaN, Infinity) is quoted.
            if (!((b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2e || b === 0x65 || b === 0x2b)) plain = false;
          }
          // `-0` would lose a float's sign as a bare literal.
          if (plain && q > p && !(kind === K_DECIMAL && q - p === 2 && data[p] === 0x2d && data[p + 1] === 0x30) && data[p] !== 0x2e && data[p] !== 0x65) {
            for (; p < q; p++) out[o++] = data[p]!;
            continue;
          }
        } else if (kind === K_BOOL) {
          const b = data[p];
          if ((b === 0x74 || b === 0x66) && (p + 1 === lineEnd || data[p + 1] === TAB)) {
            o += (b === 0x74 ? TRUE_BYTES : FALSE_BYTES).copy(out, o);
            p++;
            continue;
          }
        } else if (kind === K_BYTEA) {
          if (data[p] === BACKSLASH && data[p + 1] === BACKSLASH && data[p + 2] === 0x78) {
            out[o++] = QUOTE;
            out[o++] = BACKSLASH;
            p += 2;
            for (; p < lineEnd; p++) {
              const b = data[p]!;
              if (b === TAB) break;
              out[o++] = b;
            }
            out[o++] = QUOTE;
            continue;
          }
        }
        // Quoted text literal, unescaping COPY text on the way.
        out[o++] = QUOTE;
        for (; p < lineEnd; p++) {
          let b = data[p]!;
          if (b === TAB) break;
          if (b === BACKSLASH) {
            const c = data[++p]!;
            switch (c) {
              case 0x6e:
                b = 0x0a;
                break;
              case 0x74:
                b = 0x09;
                break;
              case 0x72:
                b = 0x0d;
                break;
              case 0x62:
                b = 0x08;
                break;
              case 0x66:
                b = 0x0c;
                break;
              case 0x76:
                b = 0x0b;
                break;
              case 0x78: {
                let v = 0;
                let d = 0;
                while (d < 2 && p + 1 < lineEnd && isHex(data[p + 1]!)) {
                  v = v * 16 + hexValue(data[++p]!);
                  d++;
                }
                b = d === 0 ? 0x78 : v;
                break;
              }
              default:
                if (c >= 0x30 && c <= 0x37) {
                  let v = c - 0x30;
                  let d = 1;
                  while (d < 3 && p + 1 < lineEnd && data[p + 1]! >= 0x30 && data[p + 1]! <= 0x37) {
                    v = v * 8 + (data[++p]! - 0x30);
                    d++;
                  }
                  b = v & 0xff;
                } else if (p >= lineEnd) {
                  // A lone backslash at the end of the line stays a backslash.
                  b = BACKSLASH;
                  p--;
                } else {
                  b = c;
                }
            }
          }
          if (b === QUOTE) out[o++] = QUOTE;
          out[o++] = b;
        }
        out[o++] = QUOTE;
      }
      if (p !== lineEnd) throw new CopyFieldCountError(data.toString('utf8', lineStart, lineEnd));
      out[o++] = 0x29;
      if (++this.inBatch >= this.batchSize) {
        this.inBatch = 0;
        out[o++] = 0x3b;
        out[o++] = 0x0a;
      }
      this.o = o;
      this.rows++;
      p = lineEnd + 1;
    }
  }
}

const K_TEXT = 0;
const K_NUMBER = 1;
const K_DECIMAL = 2;
const K_BOOL = 3;
const K_BYTEA = 4;
const KIND_CODES: Readonly<Record<PostgresValueKind, number>> = {
  text: K_TEXT,
  integer: K_NUMBER,
  decimal: K_DECIMAL,
  bool: K_BOOL,
  bytea: K_BYTEA,
};

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10;
}
