import { Strategy as BearerStrategy } from 'passport-http-bearer';
import type { AuthStrategy } from './auth-strategy.js';
import type { BearerVerifier } from './bearer-verifier.js';
import { AUTH_REALM } from './auth-realm.js';

/**
 * One passport bearer strategy over several kinds of token: each verifier that accepts the
 * token's shape is asked in turn; the first principal wins. Being one strategy, a failed request
 * gets one clean `WWW-Authenticate: Bearer realm="hfit"` challenge (with `error="invalid_token"`
 * when a token was sent), not one per kind of token.
 */
export function bearerStrategy(name: string, verifiers: readonly BearerVerifier[]): AuthStrategy {
  const verify = async (token: string): Promise<Express.User | false> => {
    for (const verifier of verifiers) {
      if (!verifier.accepts(token)) continue;
      const principal = await verifier.verify(token);
      if (principal !== undefined) return principal;
    }
    return false;
  };
  const strategy = new BearerStrategy({ realm: AUTH_REALM }, (token: string, done: (error: unknown, user?: Express.User | false) => void) => {
    verify(token).then(
      (user) => done(null, user),
      (err: unknown) => done(err),
    );
  });
  return { name, strategy };
}
