const NEWLINE = 0x0a;

/**
 * Cuts a COPY text stream into rows. In COPY text format a raw newline only ever ends a row
 * (newlines inside values are escaped as `\n`), so splitting on 0x0A is exact. Chunks arrive cut
 * anywhere — even inside a multi-byte character — so only complete lines are decoded, and an
 * unfinished tail waits for the next chunk (kept as a list, so a huge value spread over many chunks
 * is copied once, not once per chunk).
 */
export class CopyLineSplitter {
  private tail: Buffer[] = [];

  /** Complete lines of this chunk (plus the tail before it), without their newlines. */
  push(chunk: Buffer): string[] {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last === -1) {
      if (chunk.length) this.tail.push(chunk);
      return [];
    }
    let text: string;
    if (this.tail.length) {
      this.tail.push(chunk.subarray(0, last));
      text = Buffer.concat(this.tail).toString('utf8');
      this.tail = [];
    } else {
      text = chunk.toString('utf8', 0, last);
    }
    if (last + 1 < chunk.length) this.tail.push(chunk.subarray(last + 1));
    return text.split('\n');
  }

  /** Bytes after the last newline (a complete stream leaves none). */
  get pendingBytes(): number {
    let n = 0;
    for (const b of this.tail) n += b.length;
    return n;
  }
}
