import type { Request } from 'express';

/** The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1), or `undefined`. */
export function bearerTokenOf(req: Request): string | undefined {
  return /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(req.headers.authorization ?? '')?.[1];
}
