import type { PolicyResolver } from '@hfit/contracts';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import type { AuthStrategy } from './auth-strategy.js';
import { StaticTokenMatcher, type StaticToken } from './static-token-matcher.js';

/** Realm named in the `WWW-Authenticate: Bearer` challenges of the API. */
export const AUTH_REALM = 'hfit';

/**
 * Bearer tokens from the server config (`auth.tokens`), each mapped to its user, whose access comes
 * from `policies` (a user it no longer knows is refused). Challenges follow RFC 6750:
 * `Bearer realm="hfit"` without credentials, plus `error="invalid_token"` for a token that matches
 * no one.
 */
export function staticTokenStrategy(tokens: readonly StaticToken[], policies: PolicyResolver): AuthStrategy {
  const matcher = new StaticTokenMatcher(tokens);
  const strategy = new BearerStrategy({ realm: AUTH_REALM }, (token: string, done: (error: unknown, user?: Express.User | false) => void) => {
    const user = matcher.match(token);
    if (user === undefined) return done(null, false);
    policies.policyFor(user).then(
      (policy) => done(null, policy === undefined ? false : { user, via: 'static-token', policy }),
      (err: unknown) => done(err),
    );
  });
  return { name: 'static-token', strategy };
}
