import type { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { sendCancelRequest } from './send-cancel-request.js';

/**
 * Runs `COPY … TO STDOUT` on the session's client and hands every chunk to `onChunk`; while the
 * promise `onChunk` returns is pending the stream is paused, so the server waits (TCP backpressure)
 * instead of rows piling up in memory.
 *
 * The connection stays in COPY mode until the server has sent everything, and a destroyed
 * pg-copy-streams reader never gives it back. So on failure (onChunk throws, the output fails, the
 * signal aborts) the COPY is cancelled server-side and the rest drained and dropped before the
 * promise rejects; the session can then still be rolled back and closed. Rejects with the first
 * failure: onChunk's error, the signal's reason, or the server's error.
 */
export function streamCopyOut(
  client: Client,
  text: string,
  onChunk: (chunk: Buffer) => Promise<void> | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const stream = client.query(copyTo(text));
    let failure: { readonly err: unknown } | undefined;
    let settled = false;
    const fail = (err: unknown) => {
      if (failure || settled) return;
      failure = { err };
      stream.resume();
      // When the server had already sent everything, resuming ends the stream at once; only a COPY
      // still running is cancelled (a late cancel would hit the session's next statement).
      setImmediate(() => {
        if (!settled) void sendCancelRequest(client);
      });
    };
    const onAbort = () => fail(signal?.reason);
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (failure) reject(failure.err);
      else if (err !== undefined) reject(err);
      else resolve();
    };
    stream.on('data', (chunk: Buffer) => {
      if (failure) return;
      let pending: Promise<void> | undefined;
      try {
        pending = onChunk(chunk);
      } catch (err) {
        fail(err);
        return;
      }
      if (pending) {
        stream.pause();
        pending.then(() => {
          if (!failure) stream.resume();
        }, fail);
      }
    });
    stream.on('end', () => finish());
    stream.on('error', (err) => finish(err));
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
  });
}
