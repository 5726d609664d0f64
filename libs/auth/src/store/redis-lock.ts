import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { HfitError } from '@hfit/contracts';
import type { Redis } from 'ioredis';
import { orUnavailable } from './redis-unavailable.js';

/** Deletes the lock only when it still holds our token (it may have expired and been taken since). */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/** Options of {@link withRedisLock}. */
export interface RedisLockOptions {
  /** The lock expires after this long even if its holder died (default 15 s). */
  readonly ttlMs?: number;
  /** Give up waiting for the lock after this long (default 10 s). */
  readonly waitMs?: number;
  /** What is being done, for the error when the lock cannot be had. */
  readonly what: string;
}

/**
 * Runs `fn` holding the Redis lock `key` (`SET NX PX` with a random token, released by a
 * compare-and-delete script), so read-modify-write changes of one replica never interleave with
 * another's. Waits with jittered polling; throws `SERVICE_UNAVAILABLE` when the lock stays taken
 * longer than `waitMs`.
 */
export async function withRedisLock<T>(redis: Redis, key: string, options: RedisLockOptions, fn: () => Promise<T>): Promise<T> {
  const ttlMs = options.ttlMs ?? 15_000;
  const deadline = Date.now() + (options.waitMs ?? 10_000);
  const token = randomBytes(16).toString('hex');
  for (;;) {
    const taken = await orUnavailable(`${options.what} failed`, () => redis.set(key, token, 'PX', ttlMs, 'NX'));
    if (taken === 'OK') break;
    if (Date.now() >= deadline) throw new HfitError('SERVICE_UNAVAILABLE', `${options.what} failed: another API instance is changing the security store, retry`, { permanent: false });
    await sleep(10 + Math.floor(Math.random() * 40));
  }
  try {
    return await fn();
  } finally {
    // A failed release (Redis gone) only delays the next writer until the lock expires.
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}
