import { HfitError } from '@hfit/contracts';
import { waitForDrain } from '../common/wait-for-drain.js';

/**
 * Bytes that may sit queued in the output stream before the source is paused. A file stream's own
 * high-water mark (16 KiB) would stall the database socket after nearly every write; 1 MiB keeps
 * network and disk overlapping while memory stays bounded. Streams without `writableLength` get
 * plain `write() === false` backpressure.
 */
const QUEUE_LIMIT = 1024 * 1024;

/** Text or bytes gathered before one write (many small writes cost more than the rendering). */
const CHUNK = 256 * 1024;

/**
 * Writes an export to the caller's stream: rendered text and passed-through bytes are gathered into
 * large writes, and the source is paused — by the promise the write methods return — while the
 * destination is behind.
 *
 * Callers append the rows of one input chunk or fetch, then call `flushIfFull`, which returns a
 * promise only when the destination asked to wait — hot loops skip the microtask otherwise.
 */
export class OutputBuffer {
  private text = '';
  private bytes: Buffer[] = [];
  private byteCount = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Appends text (never writes). */
  append(text: string): void {
    if (this.byteCount) this.pushBytes(Buffer.from(text, 'utf8'));
    else this.text += text;
  }

  /** Writes the gathered text once it is large enough; a promise only if the stream wants a pause. */
  flushIfFull(): Promise<void> | undefined {
    return this.text.length >= CHUNK ? this.write(this.take()) : undefined;
  }

  /** Writes whatever is gathered; resolves once the stream may take more. */
  async flush(): Promise<void> {
    if (this.byteCount) await this.write(this.takeBytes());
    if (this.text) await this.write(this.take());
  }

  /**
   * Queues bytes as they are, after the text gathered before (COPY pass-through, converted
   * INSERTs), and writes them once about 256 KiB are gathered: network chunks are ~10 KiB, and a
   * file stream pays a system call per write, which cost more CPU than copying them into one buffer.
   */
  writeBytes(chunk: Buffer): Promise<void> | undefined {
    if (this.text) this.pushBytes(Buffer.from(this.take(), 'utf8'));
    this.pushBytes(chunk);
    return this.byteCount >= CHUNK ? this.write(this.takeBytes()) : undefined;
  }

  private pushBytes(chunk: Buffer): void {
    this.bytes.push(chunk);
    this.byteCount += chunk.length;
  }

  private takeBytes(): Buffer {
    const all = this.bytes.length === 1 ? this.bytes[0]! : Buffer.concat(this.bytes, this.byteCount);
    this.bytes = [];
    this.byteCount = 0;
    return all;
  }

  private take(): string {
    const text = this.text;
    this.text = '';
    return text;
  }

  private write(chunk: string | Buffer): Promise<void> | undefined {
    const out = this.out as NodeJS.WritableStream & { destroyed?: boolean; errored?: Error | null; writableLength?: number };
    if (out.destroyed)
      return Promise.reject(
        out.errored ??
          new HfitError('EXTRACTION_FAILED', 'the row output was closed before the export finished: keep the destination open until exportTableRows resolves'),
      );
    if (out.write(chunk)) return undefined;
    // See QUEUE_LIMIT. `drain` still comes once the queue empties, so pausing later is safe.
    if (out.writableLength !== undefined && out.writableLength < QUEUE_LIMIT) return undefined;
    return waitForDrain(out, this.signal);
  }
}
