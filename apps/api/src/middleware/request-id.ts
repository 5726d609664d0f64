import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';

/** Response (and accepted request) header carrying the request id. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * Incoming ids we adopt: what tracing proxies and clients commonly send (UUIDs, ULIDs, base64),
 * short and free of spaces and control characters, so they are safe in logs and headers.
 */
const SANE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * Gives every request an id: the caller's `X-Request-Id` when it looks sane, else a new UUID.
 * The id is echoed in the response header, bound to every log line of the request (pino-http reads
 * `req.id`) and put in problem bodies, so one id links a client report to the server logs.
 */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get(REQUEST_ID_HEADER);
    const id = incoming !== undefined && SANE_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    next();
  };
}

/** The id {@link requestId} gave the request. */
export function requestIdOf(req: IncomingMessage): string {
  return typeof req.id === 'string' ? req.id : String(req.id);
}
