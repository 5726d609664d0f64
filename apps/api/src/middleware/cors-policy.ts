import cors from 'cors';
import type { RequestHandler } from 'express';
import { REQUEST_ID_HEADER } from './request-id.js';

/** Response headers a browser script may read besides the CORS-safelisted ones. */
const EXPOSED_HEADERS = [REQUEST_ID_HEADER, 'Retry-After', 'Location', 'Content-Disposition', 'Content-Range', 'Accept-Ranges', 'ETag', 'WWW-Authenticate'];

/** How long a browser may cache a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS for the origins of `api.corsOrigins`, or nothing at all when the list is empty (the
 * default): without `Access-Control-*` headers browsers refuse cross-origin calls. A request from
 * an origin not on the list gets no CORS headers either (its preflight falls through to the
 * router's `OPTIONS`), only `Vary: Origin` so caches keep the answers apart. Credentials are not
 * allowed: the API authenticates with bearer tokens, never cookies.
 */
export function corsPolicy(origins: readonly string[]): RequestHandler | undefined {
  if (origins.length === 0) return undefined;
  // Config URLs may carry a trailing slash or upper case; browsers send the serialised origin.
  const allowed = new Set(origins.map((o) => new URL(o).origin));
  const handle = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    credentials: false,
  });
  return (req, res, next) => {
    res.vary('Origin');
    handle(req, res, next);
  };
}
