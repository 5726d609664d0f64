import type { Redis } from 'ioredis';
import { orUnavailable } from '../store/redis-unavailable.js';

/**
 * Logged-out JWTs, by `jti`, in Redis until the token would have expired anyway (then the key
 * expires too, so the list never grows beyond the tokens still alive).
 */
export class TokenDenyList {
  constructor(
    private readonly redis: Redis,
    private readonly keyOf: (jti: string) => string,
  ) {}

  /** Refuses `jti` from now until `untilSeconds` (seconds since the epoch). */
  async deny(jti: string, untilSeconds: number): Promise<void> {
    const until = Math.ceil(untilSeconds);
    if (until * 1000 <= Date.now()) return;
    await orUnavailable('the token could not be revoked', () => this.redis.set(this.keyOf(jti), '1', 'EXAT', until));
  }

  /** Whether `jti` was logged out. */
  async denied(jti: string): Promise<boolean> {
    return orUnavailable('the token could not be checked', async () => (await this.redis.exists(this.keyOf(jti))) === 1);
  }
}
