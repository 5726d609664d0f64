import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** Passes bytes through unchanged while counting them and computing their SHA-256. */
export class HashingPassThrough extends Transform {
  readonly #hash: Hash = createHash('sha256');
  #bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.#bytes += chunk.length;
    callback(null, chunk);
  }

  /** Bytes passed so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Hex SHA-256 of everything passed; call once, after the stream has ended. */
  sha256(): string {
    return this.#hash.digest('hex');
  }
}
