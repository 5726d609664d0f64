import type { Request } from 'express';

/**
 * The client's address as the API sees it: `req.ip`, which honours Express `trust proxy` (set from
 * `api.trustProxy`), so behind a proxy it is the forwarded address and not the proxy's.
 */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
