import type { Redis } from 'ioredis';
import { orUnavailable } from './redis-unavailable.js';

/**
 * Sets the counter when it is missing (a new server, or Redis lost its data) to a value no earlier
 * counter can have had: microseconds since the epoch, far above any count of writes since a
 * previous start. A replica that cached version N before the loss therefore never mistakes the new
 * counter for its own and reloads.
 */
const INIT = `if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) end`;
const CURRENT = `${INIT} return redis.call('GET', KEYS[1])`;
const BUMP = `${INIT} return tostring(redis.call('INCR', KEYS[1]))`;

function seed(): string {
  return String(Date.now() * 1000 + Math.floor(Math.random() * 1000));
}

/**
 * The version of the security documents, a Redis counter shared by every API replica and worker:
 * writers bump it after each change, readers compare it (one `GET`) with the version of what they
 * cached and reload when it differs, so a revocation, rotation or removal made through one replica
 * applies at once on all of them.
 */
export class SecurityVersion {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  /** The current version (set first when missing). */
  async current(): Promise<string> {
    return orUnavailable('the security store could not check its version', async () => {
      const value = await this.redis.get(this.key);
      return value ?? String(await this.redis.eval(CURRENT, 1, this.key, seed()));
    });
  }

  /** Bumps the version after a change; returns the new one. */
  async bump(): Promise<string> {
    return orUnavailable('the security store could not publish its change', async () => String(await this.redis.eval(BUMP, 1, this.key, seed())));
  }
}
