import { looksLikeJwt, type LoginTokens } from '@hfit/auth';
import type { PolicyResolver } from '@hfit/contracts';
import type { BearerVerifier } from './bearer-verifier.js';

/**
 * Login tokens (JWT from `POST /v1/auth/token`): signature, issuer, audience, expiry and logout
 * checked by `tokens`; a user who no longer exists (removed since) is refused.
 */
export function jwtVerifier(tokens: LoginTokens, policies: PolicyResolver): BearerVerifier {
  return {
    accepts: looksLikeJwt,
    async verify(token) {
      const verified = await tokens.verify(token);
      if (verified === undefined) return undefined;
      const policy = await policies.policyFor(verified.user);
      return policy === undefined ? undefined : { user: verified.user, via: 'jwt', policy, tokenId: verified.jti };
    },
  };
}
