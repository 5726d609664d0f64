import { once } from 'node:events';
import type { Logger } from '@hfit/logger';
import type { Request, Response } from 'express';
import { RESPONSE_SENT } from './route-spec.js';

/** Media type of the API's NDJSON answers (one JSON value per `\n`-terminated line). */
export const NDJSON_MEDIA_TYPE = 'application/x-ndjson';

/** What {@link sendNdjson} writes to and logs with. */
export interface NdjsonTarget {
  readonly req: Request;
  readonly res: Response;
  readonly log: Logger;
}

/** Options of {@link sendNdjson}. */
export interface SendNdjsonOptions {
  /** Aborts when the client goes away (see `clientGoneSignal`); a pending write stops waiting then. */
  readonly signal: AbortSignal;
  /** Names the stream in log lines (`rows of shop.orders`). */
  readonly what: string;
  /** More response headers (documentation of the stream, caching). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Answers `200` with `items` as NDJSON, one line per item, and returns `RESPONSE_SENT`.
 *
 * - The first item is read before the status line goes out, so a failure that shows up on the
 *   first read (a statement timeout, a folder that vanished) is still thrown to the caller and
 *   answered as a problem.
 * - Backpressure: after a write the socket cannot take, the next item is only read once the
 *   response drains, so a slow client slows the source instead of filling memory.
 * - A client that goes away (`signal`) or a failure after the status line ends the iteration
 *   (`return()`, which lets the source close its session or directory handle) and cuts the
 *   response: the chunked body never gets its terminating chunk, so the client sees a truncated
 *   stream as an error instead of a short list that looks complete.
 * - `HEAD` gets the headers only; the iteration is ended after the first read.
 */
export async function sendNdjson(target: NdjsonTarget, items: AsyncIterable<unknown>, options: SendNdjsonOptions): Promise<typeof RESPONSE_SENT> {
  const { req, res, log } = target;
  const it = items[Symbol.asyncIterator]();
  let next = await it.next();
  try {
    res.status(200);
    res.setHeader('Content-Type', `${NDJSON_MEDIA_TYPE}; charset=utf-8`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
    if (req.method === 'HEAD') {
      res.end();
      return RESPONSE_SENT;
    }
    let lines = 0;
    try {
      for (; next.done !== true; next = await it.next()) {
        lines++;
        if (!res.write(`${JSON.stringify(next.value)}\n`)) await once(res, 'drain', { signal: options.signal });
      }
      res.end();
    } catch (err) {
      if (options.signal.aborted) log.info({ what: options.what, lines }, 'NDJSON stream ended: the client went away');
      else log.error({ err, what: options.what, lines }, 'NDJSON stream failed after it started; the response was cut');
      if (!res.destroyed) res.destroy();
    }
    return RESPONSE_SENT;
  } finally {
    // Ends the source (closes its session or handle) whatever happened; a finished one ignores it.
    await it.return?.().catch((err: unknown) => log.warn({ err, what: options.what }, 'closing the NDJSON source failed'));
  }
}
