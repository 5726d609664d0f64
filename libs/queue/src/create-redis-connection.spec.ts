import { thrownHfitError } from '@hfit/contracts/testing';
import { expect } from 'chai';
import { createRedisConnection } from './create-redis-connection.js';
import type { RedisConnectionOptions } from './create-redis-connection.js';
import { createWorker } from './create-worker.js';
import { TEST_REDIS_URL } from './testing/redis-test-prefix.js';
import { waitForRedisReady } from './wait-for-redis-ready.js';
import { resolveWorkerSettings, DEFAULT_WORKER_SETTINGS } from './worker-settings.js';

describe('createRedisConnection', () => {
  it('configures workers to wait for Redis and producers to fail fast', async () => {
    const worker = createRedisConnection({ url: TEST_REDIS_URL, role: 'worker' });
    const producer = createRedisConnection({ host: '127.0.0.1', port: 6379, role: 'queue', db: 0 });
    try {
      expect(worker.options).to.include({ maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false, enableOfflineQueue: true });
      expect(producer.options).to.include({ maxRetriesPerRequest: 1, enableReadyCheck: true, lazyConnect: false, enableOfflineQueue: false });
      await Promise.all([waitForRedisReady(worker), waitForRedisReady(producer)]);
      expect(await producer.ping()).to.equal('PONG');
    } finally {
      await Promise.all([worker.quit(), producer.quit()]);
    }
  });

  it('survives a Redis that is not there: errors go to onError, not to the process', async () => {
    const errors: Error[] = [];
    // Port 1 is closed: every connection attempt is refused.
    const redis = createRedisConnection({ host: '127.0.0.1', port: 1, role: 'worker', onError: (e) => errors.push(e) });
    try {
      const e = await waitForRedisReady(redis, 300).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect((e as { code?: string }).code).to.equal('REDIS_UNREACHABLE');
      expect((e as Error).message).to.match(/ECONNREFUSED/);
      expect(errors.length).to.be.at.least(1);
    } finally {
      redis.disconnect();
    }
  });

  it('names the bad field and the fix', () => {
    const cases: [RedisConnectionOptions, RegExp][] = [
      [{ url: 'http://x', role: 'queue' }, /^redis\.url must be a redis:\/\/ or rediss:\/\/ URL/],
      [{ host: '', role: 'queue' }, /^redis\.host must be a non-empty host/],
      [{ host: 'h', port: 70000, role: 'queue' }, /^redis\.port must be an integer between 1 and 65535 \(got 70000\)/],
      [{ host: 'h', role: 'queue', db: -1 }, /^redis\.db must be an integer >= 0/],
      [{ host: 'h', role: 'api' as 'queue' }, /^redis\.role must be 'queue'/],
    ];
    for (const [options, message] of cases) {
      const e = thrownHfitError(() => createRedisConnection(options));
      expect(e.code).to.equal('QUEUE_OPTIONS_INVALID');
      expect(e.message).to.match(message);
    }
  });

  it('never echoes a URL, which may carry a password', () => {
    const e = thrownHfitError(() => createRedisConnection({ url: 'http://user:s3cret@host', role: 'queue' }));
    expect(e.message).not.to.include('s3cret');
  });
});

describe('worker options', () => {
  it('defaults to a 30 s lock, a 15 s stalled check, one stall and concurrency 1', () => {
    expect(resolveWorkerSettings()).to.deep.equal({ concurrency: 1, lockDuration: 30_000, stalledInterval: 15_000, maxStalledCount: 1 });
    expect(resolveWorkerSettings({ concurrency: 4, lockDuration: undefined })).to.deep.equal({ ...DEFAULT_WORKER_SETTINGS, concurrency: 4 });
  });

  it('rejects bad values naming the field and the fix', () => {
    const cases: [Parameters<typeof resolveWorkerSettings>[0], RegExp][] = [
      [{ concurrency: 0 }, /^worker\.concurrency must be an integer >= 1 \(got 0\)/],
      [{ concurrency: 1.5 }, /^worker\.concurrency must be an integer/],
      [{ concurrency: 5_000 }, /^worker\.concurrency must be at most 1000; run more worker processes instead/],
      [{ lockDuration: 500 }, /^worker\.lockDuration must be an integer >= 1000 ms/],
      [{ stalledInterval: 0 }, /^worker\.stalledInterval must be an integer >= 100 ms/],
      [{ maxStalledCount: -1 }, /^worker\.maxStalledCount must be an integer >= 0/],
    ];
    for (const [given, message] of cases) {
      const e = thrownHfitError(() => resolveWorkerSettings(given));
      expect(e.code).to.equal('QUEUE_OPTIONS_INVALID');
      expect(e.message).to.match(message);
    }
  });

  it('refuses a producer connection for a worker, and a queue name BullMQ cannot use', async () => {
    const producer = createRedisConnection({ url: TEST_REDIS_URL, role: 'queue' });
    const consumer = createRedisConnection({ url: TEST_REDIS_URL, role: 'worker' });
    try {
      const e = thrownHfitError(() => createWorker('hfit-build', async () => null, { connection: producer }));
      expect(e.message).to.match(/^connection must be created with createRedisConnection\(\{ role: 'worker' \}\)/);
      const n = thrownHfitError(() => createWorker('a:b', async () => null, { connection: consumer }));
      expect(n.message).to.match(/^queue name must be a non-empty string without ":"/);
    } finally {
      producer.disconnect();
      consumer.disconnect();
    }
  });
});
