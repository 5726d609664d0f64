/**
 * The output buffers of the row encoders keep already-taken bytes before `start` and pending ones
 * up to `pos`. This returns a fresh buffer (at least `minBytes`) holding the pending bytes at
 * offset 0 with room for `need` more; the caller then sets `start = 0`, `pos = pos - start`.
 * Taken bytes are never copied: they may still be queued in a stream.
 */
export function regrowBuffer(buf: Buffer, start: number, pos: number, need: number, minBytes: number): Buffer<ArrayBuffer> {
  const next = Buffer.allocUnsafe(Math.max(minBytes, pos - start + need));
  buf.copy(next, 0, start, pos);
  return next;
}
