import { Transform, type TransformCallback } from 'node:stream';
import { HfitError } from '@hfit/contracts';
import { GZIP_OS_UNIX } from './archive-constants.js';

/** RFC 1952 member header: ID1 ID2 CM FLG, MTIME (4 bytes), XFL, OS. */
const HEADER_BYTES = 10;
const OS_OFFSET = 9;

/**
 * Passes a gzip stream through, making its 10-byte header machine-independent: MTIME is zeroed
 * (Node's zlib already writes 0, checked here so a change cannot slip in) and the OS byte is set to
 * {@link GZIP_OS_UNIX} (zlib writes the OS it was built for). Fails when the stream does not start
 * like a plain deflate gzip member without optional fields (FLG 0: no name, comment, extra or
 * header CRC), which is what `zlib.createGzip()` writes. Works whatever the chunk boundaries.
 */
export class GzipHeaderNormaliser extends Transform {
  #offset = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#offset >= HEADER_BYTES) {
      this.#offset += chunk.length;
      callback(null, chunk);
      return;
    }
    const out = Buffer.from(chunk);
    for (let i = 0; i < out.length && this.#offset + i < HEADER_BYTES; i++) {
      const at = this.#offset + i;
      if (at < 4) {
        const expected = [0x1f, 0x8b, 0x08, 0x00][at]!;
        if (out[i] !== expected) {
          callback(new HfitError('ARCHIVE_FAILED', `gzip header byte ${at} is 0x${out[i]!.toString(16)}, expected 0x${expected.toString(16)}: zlib no longer writes a plain header`));
          return;
        }
      } else if (at < 8) {
        out[i] = 0;
      } else if (at === OS_OFFSET) {
        out[i] = GZIP_OS_UNIX;
      }
    }
    this.#offset += chunk.length;
    callback(null, out);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.#offset >= HEADER_BYTES ? null : new HfitError('ARCHIVE_FAILED', `gzip stream ended after ${this.#offset} bytes, inside its header`));
  }
}
