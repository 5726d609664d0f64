import { isHfitError } from '@hfit/contracts';
import { expect } from 'chai';
import { createRedisConnection } from './create-redis-connection.js';
import { assertNoEviction, checkRedisPolicy, readMaxmemoryPolicy } from './redis-policy.js';
import { TEST_REDIS_URL } from './testing/redis-test-prefix.js';
import { waitForRedisReady } from './wait-for-redis-ready.js';

type PolicySource = Parameters<typeof readMaxmemoryPolicy>[0];

function fakeRedis(config: () => Promise<unknown>, info: () => Promise<string>): PolicySource {
  return { config, info } as unknown as PolicySource;
}

describe('Redis eviction policy check', () => {
  it('accepts noeviction', () => {
    expect(assertNoEviction({ policy: 'noeviction', source: 'config' })).to.deep.equal({ policy: 'noeviction', source: 'config', verified: true });
  });

  it('rejects an evicting policy with REDIS_POLICY_INVALID naming the policy and the fix', () => {
    let error: unknown;
    try {
      assertNoEviction({ policy: 'allkeys-lru', source: 'config' });
    } catch (e) {
      error = e;
    }
    expect(isHfitError(error, 'REDIS_POLICY_INVALID'), String(error)).to.equal(true);
    expect((error as Error).message).to.match(/"allkeys-lru".*noeviction/).and.match(/maxmemory-policy noeviction/);
  });

  it('reports an unreadable policy as unverified instead of failing', () => {
    expect(assertNoEviction({ policy: undefined, source: undefined })).to.deep.equal({ policy: undefined, source: undefined, verified: false });
  });

  it('falls back to INFO when CONFIG is forbidden (managed Redis), and gives up quietly when INFO is too', async () => {
    const forbidden = () => Promise.reject(new Error("ERR unknown command 'CONFIG'"));
    const info = () => Promise.resolve('# Memory\r\nused_memory:1\r\nmaxmemory_policy:volatile-lru\r\n');
    expect(await readMaxmemoryPolicy(fakeRedis(forbidden, info))).to.deep.equal({ policy: 'volatile-lru', source: 'info' });
    expect(await readMaxmemoryPolicy(fakeRedis(forbidden, forbidden))).to.deep.equal({ policy: undefined, source: undefined });
    expect(await readMaxmemoryPolicy(fakeRedis(() => Promise.resolve({ 'maxmemory-policy': 'noeviction' }), forbidden))).to.deep.equal({
      policy: 'noeviction',
      source: 'config',
    });
  });

  it('reads the policy of the real Redis with CONFIG GET', async () => {
    const redis = createRedisConnection({ url: TEST_REDIS_URL, role: 'queue' });
    try {
      await waitForRedisReady(redis);
      const found = await readMaxmemoryPolicy(redis);
      expect(found.source).to.equal('config');
      expect(found.policy).to.be.a('string').and.not.equal('');
      // Whatever the shared server runs with, the check must agree with the pure judgement.
      if (found.policy === 'noeviction') expect((await checkRedisPolicy(redis)).verified).to.equal(true);
      else {
        const e = await checkRedisPolicy(redis).then(
          () => undefined,
          (x: unknown) => x,
        );
        expect(isHfitError(e, 'REDIS_POLICY_INVALID')).to.equal(true);
      }
    } finally {
      await redis.quit();
    }
  });
});
