/** JWS algorithms the API signs with (RFC 8037 EdDSA over Ed25519; RFC 7518 ES256 over P-256). */
export type JwsAlgorithm = 'EdDSA' | 'ES256';

/** Every algorithm a login token may carry; which one a token must use is decided by its key. */
export const JWS_ALGORITHMS: readonly JwsAlgorithm[] = ['EdDSA', 'ES256'];
