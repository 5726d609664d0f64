import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Redis of the test environment (docker-compose / CI service). */
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** A BullMQ key prefix no other test uses. */
export function uniqueTestPrefix(): string {
  return `hfit-test-${randomUUID()}`;
}

/** Deletes every key under `prefix:` (SCAN + UNLINK, never KEYS on a shared server). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
