/** Names of every Redis key the security code uses, all under the configured `redis.prefix`. */
export interface SecurityRedisKeys {
  /** Counter bumped after every change of the security documents. */
  readonly version: string;
  /** Lock held while the security documents are changed. */
  readonly lock: string;
  /** A login challenge, by the sha256 (hex) of its text. */
  challenge(digest: string): string;
  /** A logged-out JWT, by its `jti`. */
  revokedJti(jti: string): string;
  /** The generation login tokens must carry (a random id, set when missing: a new server, or a Redis loss). */
  readonly tokenGeneration: string;
}

/** The {@link SecurityRedisKeys} under `prefix`. */
export function securityRedisKeys(prefix: string): SecurityRedisKeys {
  return {
    version: `${prefix}:security:version`,
    lock: `${prefix}:security:lock`,
    challenge: (digest) => `${prefix}:auth:challenge:${digest}`,
    revokedJti: (jti) => `${prefix}:auth:revoked-jti:${jti}`,
    tokenGeneration: `${prefix}:auth:token-generation`,
  };
}
