/** One parsed NDJSON line and its 1-based line number. */
export interface NdjsonLine {
  readonly value: unknown;
  readonly line: number;
}

/**
 * Streaming NDJSON reader: splits decoded text into lines (LF or CRLF), parses each non-blank line
 * as JSON. Only the current partial line is carried between chunks.
 */
export class NdjsonLineParser {
  private carry = '';
  private line = 0;

  /**
   * Parses the complete lines of one more chunk.
   * @throws Error naming the line when one is not valid JSON.
   */
  push(chunk: string): NdjsonLine[] {
    const text = this.carry + chunk;
    const last = text.lastIndexOf('\n');
    if (last === -1) {
      this.carry = text;
      return [];
    }
    this.carry = text.slice(last + 1);
    const out: NdjsonLine[] = [];
    let start = 0;
    while (start <= last) {
      const nl = text.indexOf('\n', start);
      this.parse(text.slice(start, nl), out);
      start = nl + 1;
    }
    return out;
  }

  /** Parses the last line when the text does not end with a line break. */
  end(): NdjsonLine[] {
    const out: NdjsonLine[] = [];
    if (this.carry !== '') this.parse(this.carry, out);
    this.carry = '';
    return out;
  }

  private parse(raw: string, out: NdjsonLine[]): void {
    this.line++;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (text.trim() === '') return;
    try {
      out.push({ value: JSON.parse(text), line: this.line });
    } catch (err) {
      throw new Error(`line ${this.line} is not valid JSON (${(err as Error).message})`);
    }
  }
}
