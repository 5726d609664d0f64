import type { Principal } from '@hfit/contracts';

/**
 * One kind of bearer token (static, login JWT, CI token). The bearer strategy hands a token to
 * each verifier that `accepts` its shape, in order, until one answers a principal.
 */
export interface BearerVerifier {
  /** Whether the token has the shape this verifier handles (cheap; no I/O). */
  accepts(token: string): boolean;
  /** The principal the token authenticates, or `undefined` when it is not valid. Throws only for server trouble. */
  verify(token: string): Promise<Principal | undefined>;
}
