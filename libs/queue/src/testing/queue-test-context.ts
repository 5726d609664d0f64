import type { Redis } from 'ioredis';
import type { Closable } from '../closable.js';
import { redisClosable } from '../closable.js';
import { closeAll } from '../close-all.js';
import { createRedisConnection } from '../create-redis-connection.js';
import { waitForRedisReady } from '../wait-for-redis-ready.js';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueTestPrefix } from './redis-test-prefix.js';

/**
 * Per-test Redis fixture: a unique prefix, a producer and a consumer connection, and the shutdown
 * steps registered by the test. `dispose()` closes them in reverse order of registration (workers
 * registered last close first), then deletes the prefix's keys.
 */
export class QueueTestContext {
  readonly prefix = uniqueTestPrefix();
  readonly queueConnection: Redis = createRedisConnection({ url: TEST_REDIS_URL, role: 'queue' });
  readonly workerConnection: Redis = createRedisConnection({ url: TEST_REDIS_URL, role: 'worker' });
  private readonly closables: Closable[] = [];

  /** Registers a shutdown step and returns `value`. */
  track<T>(value: T, closable: Closable): T {
    this.closables.push(closable);
    return value;
  }

  async dispose(): Promise<void> {
    const report = await closeAll(
      [
        ...[...this.closables].reverse(),
        redisClosable(this.queueConnection, 'queue connection'),
        redisClosable(this.workerConnection, 'worker connection'),
      ],
      { timeoutMs: 5_000 },
    );
    const admin = createRedisConnection({ url: TEST_REDIS_URL, role: 'queue' });
    try {
      await waitForRedisReady(admin);
      await deleteKeysWithPrefix(admin, this.prefix);
    } finally {
      await admin.quit();
    }
    if (!report.ok) throw new Error(`test shutdown: ${report.problems.join('; ')}`);
  }
}
