import { isHfitError, PROBLEM_MEDIA_TYPE } from '@hfit/contracts';
import type { Problem } from '@hfit/contracts';
import type { ErrorRequestHandler } from 'express';
import { problemFromError } from '../problems/problem-from-error.js';
import { requestIdOf } from './request-id.js';

/**
 * Headers describing a representation a route may have set before it failed (an artifact download
 * that set `ETag` and then could not open the object); the problem body must not inherit them.
 * `Allow`, `WWW-Authenticate` and a 416's `Content-Range` are kept on purpose.
 */
const REPRESENTATION_HEADERS = ['content-disposition', 'content-length', 'content-encoding', 'etag', 'last-modified', 'accept-ranges'];

/**
 * The last middleware: answers every error as RFC 9457 `application/problem+json` with `code`,
 * `instance` (the request path, without the query) and `requestId`. Server faults are logged with
 * their stack (pino-http logs `res.err` on the request's completion line); the client gets a
 * generic detail. When the response had already started (a stream failed half-way) the
 * connection is cut so the client sees a truncated body rather than a corrupt one. An error with
 * `retryAfterSeconds` (`RATE_LIMITED`) gets a `Retry-After` header. An error after
 * the client went away is only logged (info): it is the abort of the work the request started.
 */
export function problemHandler(): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (res.destroyed || req.socket.destroyed) {
      // The client went away (a disconnect aborts database reads and directory walks, which then
      // fail with the abort): there is nobody to answer, and nothing went wrong on our side.
      req.log.info({ err }, 'the client went away before the answer; nothing was sent');
      return;
    }
    const mapped = problemFromError(err);
    if (mapped.unexpected) res.err = err instanceof Error ? err : new Error(String(err));
    if (res.headersSent) {
      req.log.error({ err }, 'response failed after it started');
      res.destroy();
      return;
    }
    for (const h of REPRESENTATION_HEADERS) res.removeHeader(h);
    // RFC 9110 §10.2.3: whole seconds; a rate limit names when the budget frees up.
    if (isHfitError(err) && err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(err.retryAfterSeconds))));
    const body: Problem = {
      ...mapped.problem,
      instance: req.originalUrl.split('?')[0] ?? req.originalUrl,
      requestId: requestIdOf(req),
    };
    res.status(mapped.status).type(PROBLEM_MEDIA_TYPE).json(body);
  };
}
