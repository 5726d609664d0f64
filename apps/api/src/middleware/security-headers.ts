import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers for a JSON/file API that no browser should render or frame: a CSP that allows
 * nothing (`default-src 'none'; frame-ancestors 'none'`), `X-Frame-Options: DENY`,
 * `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, and helmet's other defaults
 * (HSTS with its default max-age, cross-origin isolation headers). Mounted first, so problem
 * responses and 404s carry them too.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}
