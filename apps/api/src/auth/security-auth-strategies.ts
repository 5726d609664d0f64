import type { Security } from '@hfit/auth';
import type { PolicyResolver } from '@hfit/contracts';
import type { AuthStrategy } from './auth-strategy.js';
import { bearerStrategy } from './bearer-strategy.js';
import { ciTokenVerifier } from './ci-token-verifier.js';
import { jwtVerifier } from './jwt-verifier.js';
import type { StaticToken } from './static-token-matcher.js';
import { staticTokenVerifier } from './static-token-verifier.js';

/**
 * The API's authentication with a security store: one bearer strategy accepting login JWTs, CI
 * tokens and the config's static tokens (tried last, for any shape), each principal's access
 * coming from `policies`.
 */
export function securityAuthStrategies(staticTokens: readonly StaticToken[], security: Security, policies: PolicyResolver): AuthStrategy[] {
  return [
    bearerStrategy('bearer', [jwtVerifier(security.tokens, policies), ciTokenVerifier(security.ciTokens, policies), staticTokenVerifier(staticTokens, policies)]),
  ];
}
