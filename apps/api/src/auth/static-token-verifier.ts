import type { PolicyResolver } from '@hfit/contracts';
import type { BearerVerifier } from './bearer-verifier.js';
import { StaticTokenMatcher, type StaticToken } from './static-token-matcher.js';

/** Static tokens of the config (`auth.tokens`); their users' access comes from `policies`. */
export function staticTokenVerifier(tokens: readonly StaticToken[], policies: PolicyResolver): BearerVerifier {
  const matcher = new StaticTokenMatcher(tokens);
  return {
    accepts: () => true,
    async verify(token) {
      const user = matcher.match(token);
      if (user === undefined) return undefined;
      const policy = await policies.policyFor(user);
      return policy === undefined ? undefined : { user, via: 'static-token', policy };
    },
  };
}
