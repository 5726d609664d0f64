import type { PolicyResolver } from '@hfit/contracts';
import type { AuthStrategy } from './auth-strategy.js';
import { bearerStrategy } from './bearer-strategy.js';
import type { StaticToken } from './static-token-matcher.js';
import { staticTokenVerifier } from './static-token-verifier.js';

export { AUTH_REALM } from './auth-realm.js';

/**
 * Bearer tokens from the server config (`auth.tokens`), each mapped to its user, whose access comes
 * from `policies` (a user it no longer knows is refused). Challenges follow RFC 6750:
 * `Bearer realm="hfit"` without credentials, plus `error="invalid_token"` for a token that matches
 * no one.
 */
export function staticTokenStrategy(tokens: readonly StaticToken[], policies: PolicyResolver): AuthStrategy {
  return bearerStrategy('static-token', [staticTokenVerifier(tokens, policies)]);
}
