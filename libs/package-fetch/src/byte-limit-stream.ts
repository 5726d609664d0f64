import { Transform, type TransformCallback } from 'node:stream';

/**
 * A pass-through stream that fails with `error()` as soon as more than `maxBytes` went through it,
 * before passing on the chunk that crossed the limit. Placed after a decompressor, it stops a
 * decompression bomb after `maxBytes` of output whatever the input size.
 */
export function byteLimitStream(maxBytes: number, error: () => Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(error());
      else callback(null, chunk);
    },
  });
}
