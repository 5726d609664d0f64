import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { HfitError } from '@hfit/contracts';

/**
 * A pass-through stream that fails with `PAYLOAD_TOO_LARGE` as soon as more than `maxBytes` went
 * through it, before passing the chunk that crossed the limit on. Placed after a decompressor, it
 * stops a decompression bomb after `maxBytes` of output whatever the input size.
 * @param what - names the counted bytes in the message, e.g. `uncompressed archive`.
 */
export function byteLimitStream(maxBytes: number, what: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > maxBytes) {
        callback(
          new HfitError(
            'PAYLOAD_TOO_LARGE',
            `${what} is larger than the limit of ${maxBytes} bytes: upload fewer or smaller templates per archive`,
          ),
        );
        return;
      }
      callback(null, chunk);
    },
  });
}
