import { CI_TOKEN_PREFIX, type CiTokens } from '@hfit/auth';
import type { PolicyResolver } from '@hfit/contracts';
import type { BearerVerifier } from './bearer-verifier.js';

/** CI tokens (`hfit_ci_…`): active, unexpired, unrevoked; the principal is `ci.<name>` with the token's role. */
export function ciTokenVerifier(ciTokens: CiTokens, policies: PolicyResolver): BearerVerifier {
  return {
    accepts: (token) => token.startsWith(CI_TOKEN_PREFIX),
    async verify(token) {
      const identity = await ciTokens.authenticate(token);
      if (identity === undefined) return undefined;
      const policy = await policies.policyFor(identity.user);
      return policy === undefined ? undefined : { user: identity.user, via: 'ci-token', policy, tokenId: identity.tokenId };
    },
  };
}
