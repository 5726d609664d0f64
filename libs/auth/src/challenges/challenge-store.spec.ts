import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { createSecurityFixture, type SecurityFixture } from '../testing/security-fixture.js';
import { securityRedisKeys } from '../security-redis-keys.js';
import { ChallengeStore } from './challenge-store.js';

describe('ChallengeStore', () => {
  let fx: SecurityFixture;
  let store: ChallengeStore;
  beforeEach(async () => {
    fx = await createSecurityFixture();
    store = new ChallengeStore({ redis: fx.redis, keyOf: securityRedisKeys(fx.prefix).challenge, audience: 'api-x', ttlSeconds: 30 });
  });
  afterEach(async () => {
    await fx.dispose();
  });

  it('issues hfit-login-v1:<audience>:<user>:<random> with its expiry and TTL in Redis', async () => {
    const before = Date.now();
    const { challenge, expiresAt } = await store.issue('ann');
    expect(challenge).to.match(/^hfit-login-v1:api-x:ann:[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(expiresAt) - before).to.be.within(29_000, 31_000);
    const key = securityRedisKeys(fx.prefix).challenge(createHash('sha256').update(challenge).digest('hex'));
    expect(await fx.redis.get(key)).to.equal('ann');
    expect(await fx.redis.pttl(key)).to.be.within(29_000, 30_000);
    expect((await store.issue('ann')).challenge).to.not.equal(challenge);
  });

  it('is consumed once at most, even by concurrent requests', async () => {
    const { challenge } = await store.issue('ann');
    const results = await Promise.all(Array.from({ length: 10 }, () => store.consume('ann', challenge)));
    expect(results.filter(Boolean)).to.have.length(1);
    expect(await store.consume('ann', challenge)).to.equal(false);
  });

  it("refuses another user's challenge without using it up, and challenges it never issued", async () => {
    const { challenge } = await store.issue('ann');
    expect(await store.consume('bob', challenge)).to.equal(false);
    expect(await store.consume('bob', challenge.replace(':ann:', ':bob:'))).to.equal(false);
    expect(await store.consume('ann', challenge)).to.equal(true);
    expect(await store.consume('ann', `hfit-login-v1:api-x:ann:${'A'.repeat(43)}`)).to.equal(false);
  });

  it('expires after its TTL', async () => {
    const short = new ChallengeStore({ redis: fx.redis, keyOf: securityRedisKeys(fx.prefix).challenge, audience: 'api-x', ttlSeconds: 1 });
    const { challenge } = await short.issue('ann');
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await short.consume('ann', challenge)).to.equal(false);
  });
});
