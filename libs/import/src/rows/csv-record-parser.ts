/** One CSV field: text, or null for an empty unquoted field (hfit's NULL). */
export type CsvField = string | null;

/** A parsed record and the 1-based line it starts on. */
export interface CsvRecord {
  readonly fields: CsvField[];
  readonly line: number;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
/** The characters that end an unquoted field's text. */
const FIELD_END = /[,\r\n]/g;

/**
 * Streaming RFC 4180 parser with hfit's NULL convention: fields separated by `,`, records by CRLF
 * (a bare LF or CR is accepted too), `"…"` quoting with `""` for a quote, line breaks allowed
 * inside quotes. An empty unquoted field is null, `""` is the empty string; a quote inside an
 * unquoted field, or text after a closing quote, is kept as text. Feed decoded text in chunks of any
 * size with {@link push}; {@link end} returns the last record.
 */
export class CsvRecordParser {
  private fields: CsvField[] = [];
  private parts: string[] = [];
  private quoted = false;
  private inQuotes = false;
  /** A quote was just read inside quotes: the next character tells `""` from the closing quote. */
  private quotePending = false;
  /** A CR ended the last record: an LF right after it belongs to it. */
  private crPending = false;
  private line = 1;
  private recordLine = 1;
  private started = false;

  /** Parses one more chunk; returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.crPending) {
        this.crPending = false;
        if (chunk.charCodeAt(i) === LF) {
          i++;
          continue;
        }
      }
      if (!this.started) {
        this.started = true;
        this.recordLine = this.line;
      }
      if (this.quotePending) {
        this.quotePending = false;
        if (chunk.charCodeAt(i) === QUOTE) {
          this.parts.push('"');
          i++;
          continue;
        }
        this.inQuotes = false;
      }
      if (this.inQuotes) {
        const q = chunk.indexOf('"', i);
        const end = q === -1 ? n : q;
        this.countLines(chunk, i, end);
        if (end > i) this.parts.push(chunk.slice(i, end));
        if (q === -1) return out;
        this.quotePending = true;
        i = q + 1;
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (c === QUOTE && !this.quoted && this.parts.length === 0) {
        this.quoted = true;
        this.inQuotes = true;
        i++;
        continue;
      }
      FIELD_END.lastIndex = i;
      const m = FIELD_END.exec(chunk);
      const end = m ? m.index : n;
      if (end > i) this.parts.push(chunk.slice(i, end));
      if (!m) return out;
      i = end + 1;
      this.endField();
      const sep = chunk.charCodeAt(end);
      if (sep === COMMA) continue;
      this.line++;
      if (sep === CR) this.crPending = true;
      out.push(this.endRecord());
    }
    return out;
  }

  /**
   * Ends the input: returns the last record when the text does not end with a line break.
   * @throws Error when the text ends inside a quoted field.
   */
  end(): CsvRecord[] {
    if (this.inQuotes && !this.quotePending) throw new Error(`the file ends inside a quoted field of the record starting at line ${this.recordLine}`);
    if (!this.started) return [];
    this.endField();
    return [this.endRecord()];
  }

  private countLines(chunk: string, from: number, to: number): void {
    for (let k = chunk.indexOf('\n', from); k !== -1 && k < to; k = chunk.indexOf('\n', k + 1)) this.line++;
  }

  private endField(): void {
    const text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.fields.push(this.quoted || text !== '' ? text : null);
    this.parts = [];
    this.quoted = false;
    this.inQuotes = false;
    this.quotePending = false;
  }

  private endRecord(): CsvRecord {
    const record = { fields: this.fields, line: this.recordLine };
    this.fields = [];
    this.started = false;
    return record;
  }
}
