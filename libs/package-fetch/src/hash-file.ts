import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * Feeds a file's bytes (the first `length` of them, when given) to `hash`, streaming.
 * @returns how many bytes were read.
 */
export async function hashFile(hash: Hash, file: string, length?: number): Promise<number> {
  if (length === 0) return 0;
  let bytes = 0;
  const stream = createReadStream(file, length === undefined ? {} : { start: 0, end: length - 1 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return bytes;
}
