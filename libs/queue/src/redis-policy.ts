import { HfitError } from '@hfit/contracts';
import type { Redis } from 'ioredis';
import { waitForRedisReady } from './wait-for-redis-ready.js';

/** What {@link checkRedisPolicy} found. */
export interface RedisPolicyReport {
  /** The `maxmemory-policy` in force, when it could be read. */
  readonly policy: string | undefined;
  /** Where it was read from; `undefined` when neither CONFIG nor INFO revealed it. */
  readonly source: 'config' | 'info' | undefined;
  /** `false` when the policy could not be read: log a warning, the server may still evict keys. */
  readonly verified: boolean;
}

/**
 * Reads `maxmemory-policy`. `CONFIG GET` first; managed services (ElastiCache, Memorystore, Azure)
 * often rename or forbid CONFIG, so fall back to the `maxmemory_policy:` line of `INFO memory`
 * (the same line BullMQ inspects when it connects). Returns `source: undefined` when neither works,
 * so the connection must be ready first (a `queue`-role connection rejects commands until then).
 */
export async function readMaxmemoryPolicy(
  connection: Pick<Redis, 'config' | 'info'>,
): Promise<Pick<RedisPolicyReport, 'policy' | 'source'>> {
  try {
    const reply: unknown = await connection.config('GET', 'maxmemory-policy');
    // Legacy reply mapping gives ['maxmemory-policy', 'noeviction'], RESP3 mapping an object.
    const value = Array.isArray(reply) ? reply[1] : (reply as Record<string, unknown> | null)?.['maxmemory-policy'];
    if (typeof value === 'string') return { policy: value, source: 'config' };
  } catch {
    // CONFIG forbidden or renamed: try INFO below.
  }
  try {
    const info = await connection.info('memory');
    const line = info.split(/\r?\n/).find((l) => l.startsWith('maxmemory_policy:'));
    if (line !== undefined) return { policy: line.slice('maxmemory_policy:'.length).trim(), source: 'info' };
  } catch {
    // INFO forbidden too: unverifiable.
  }
  return { policy: undefined, source: undefined };
}

/**
 * Judges a policy value (pure, so it can be tested without changing the shared Redis). Throws
 * `REDIS_POLICY_INVALID` for anything but `noeviction`: under memory pressure an evicting Redis
 * silently deletes job hashes and lock keys, and BullMQ then loses or duplicates jobs.
 */
export function assertNoEviction(found: Pick<RedisPolicyReport, 'policy' | 'source'>): RedisPolicyReport {
  if (found.policy === undefined) return { ...found, verified: false };
  if (found.policy !== 'noeviction') {
    throw new HfitError(
      'REDIS_POLICY_INVALID',
      `Redis maxmemory-policy is ${JSON.stringify(found.policy)}; BullMQ requires "noeviction" or it may lose jobs. ` +
        'Set "maxmemory-policy noeviction" in redis.conf (see infra/redis.conf) or in your managed Redis parameter group.',
      { field: 'maxmemory-policy' },
    );
  }
  return { ...found, verified: true };
}

/**
 * Checks that the Redis behind `connection` will never evict keys. Resolves with `verified: false`
 * when the server hides its configuration (managed Redis); throws `REDIS_POLICY_INVALID` when the
 * policy is known and wrong. Call it once at start-up of the API and the workers; it waits for the
 * connection to be ready first (see {@link waitForRedisReady}).
 */
export async function checkRedisPolicy(connection: Redis, readyTimeoutMs?: number): Promise<RedisPolicyReport> {
  await waitForRedisReady(connection, readyTimeoutMs);
  return assertNoEviction(await readMaxmemoryPolicy(connection));
}
