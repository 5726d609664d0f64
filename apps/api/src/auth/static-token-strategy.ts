import { Strategy as BearerStrategy } from 'passport-http-bearer';
import type { AuthStrategy } from './auth-strategy.js';
import { StaticTokenMatcher, type StaticToken } from './static-token-matcher.js';

/** Realm named in the `WWW-Authenticate: Bearer` challenges of the API. */
export const AUTH_REALM = 'hfit';

/**
 * Bearer tokens from the server config (`auth.tokens`), each mapped to its user. Challenges follow
 * RFC 6750: `Bearer realm="hfit"` without credentials, plus `error="invalid_token"` for a token
 * that matches no one.
 */
export function staticTokenStrategy(tokens: readonly StaticToken[]): AuthStrategy {
  const matcher = new StaticTokenMatcher(tokens);
  const strategy = new BearerStrategy({ realm: AUTH_REALM }, (token: string, done: (error: unknown, user?: Express.User | false) => void) => {
    done(null, matcher.match(token) ?? false);
  });
  return { name: 'static-token', strategy };
}
