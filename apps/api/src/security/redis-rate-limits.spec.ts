import { ProblemSchema, type Problem } from '@hfit/contracts';
import { closeAll, createRedisConnection, redisClosable, waitForRedisReady } from '@hfit/queue';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueTestPrefix } from '@hfit/queue/testing';
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RouteModule } from '../routes/route-module.js';
import { reply } from '../routes/route-spec.js';
import { startTestApp, type TestApp } from '../testing/start-test-app.js';
import { testServerConfig } from '../testing/test-server-config.js';
import type { RateLimits } from './rate-limits.js';
import { addressKey, RedisRateLimits } from './redis-rate-limits.js';

/** Two routes that spend budgets the way the login and build routes do. */
function probeRoutes(limits: RateLimits): RouteModule {
  return (registry) => {
    registry.add({
      method: 'post',
      path: '/v1/probe/login',
      operationId: 'probeLogin',
      summary: 'Spends one login attempt',
      tags: ['test'],
      auth: 'public',
      query: z.object({ user: z.string() }),
      responses: { 204: { description: 'Allowed' } },
      handle: async ({ query }, { req }) => {
        await limits.login(query.user, req.ip ?? '');
        return reply(204, undefined);
      },
    });
    registry.add({
      method: 'post',
      path: '/v1/probe/submit',
      operationId: 'probeSubmit',
      summary: 'Spends one build submission',
      tags: ['test'],
      auth: 'bearer',
      responses: { 204: { description: 'Allowed' } },
      handle: async (_input, { user }) => {
        await limits.submit(user.user);
        return reply(204, undefined);
      },
    });
  };
}

async function problemOf(res: Response): Promise<Problem> {
  expect(res.status).to.equal(429);
  return ProblemSchema.parse(await res.json());
}

describe('Redis rate limits (shared by every API replica)', function () {
  this.timeout(20_000);
  let prefix: string;
  const connections: Redis[] = [];
  const apps: TestApp[] = [];
  const rateLimits = { loginPerUser: { points: 3, windowSeconds: 30 }, loginPerAddress: { points: 5, windowSeconds: 30 }, submitPerUser: { points: 2, windowSeconds: 1 } };

  /** Two API instances, each with its own Redis connection, sharing the prefix: two replicas. */
  async function replicas(trustProxy: number | boolean = 1): Promise<[TestApp, TestApp]> {
    const config = testServerConfig({ trustProxy, rateLimits });
    const started: TestApp[] = [];
    for (let i = 0; i < 2; i++) {
      const redis = createRedisConnection({ url: TEST_REDIS_URL, role: 'queue' });
      connections.push(redis);
      await waitForRedisReady(redis);
      const limits = new RedisRateLimits(redis, prefix, config.api.rateLimits);
      const app = await startTestApp({ config, rateLimits: limits, routers: [probeRoutes(limits)] });
      apps.push(app);
      started.push(app);
    }
    return started as [TestApp, TestApp];
  }

  beforeEach(() => {
    prefix = uniqueTestPrefix();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
    const [first] = connections;
    if (first !== undefined) await deleteKeysWithPrefix(first, prefix);
    await closeAll(connections.splice(0).map((c, i) => redisClosable(c, `redis ${i}`)), { timeoutMs: 5_000 });
  });

  it('counts login attempts per user across replicas: the 4th is refused with 429, Retry-After and a message naming the limit', async () => {
    const [a, b] = await replicas();
    const login = (app: TestApp, user: string, address: string) => app.fetch(`/v1/probe/login?user=${user}`, { method: 'POST', token: null, headers: { 'X-Forwarded-For': address } });
    expect((await login(a, 'alice', '10.0.0.1')).status).to.equal(204);
    expect((await login(b, 'alice', '10.0.0.2')).status).to.equal(204);
    expect((await login(a, 'alice', '10.0.0.3')).status).to.equal(204);
    const refused = await login(b, 'alice', '10.0.0.4');
    const problem = await problemOf(refused);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).to.be.within(29, 30);
    expect(problem).to.include({ code: 'RATE_LIMITED', status: 429 });
    expect(problem.detail).to.equal(`Too many login attempts for user "alice" (at most 3 per 30 s): retry in ${retryAfter} s`);
    // Problem answers keep the security headers.
    expect(refused.headers.get('x-content-type-options')).to.equal('nosniff');
    // Another user from a fresh address is not affected.
    expect((await login(a, 'bob', '10.0.0.5')).status).to.equal(204);
    const keys = await connections[0]!.keys(`${prefix}:*`);
    expect(keys.length).to.be.greaterThan(0);
    expect(keys.every((k) => k.startsWith(`${prefix}:rl:`))).to.equal(true);
  });

  it('counts login attempts per client address (after trust proxy) across replicas, whatever the user', async () => {
    const [a, b] = await replicas();
    const login = (app: TestApp, user: string) => app.fetch(`/v1/probe/login?user=${user}`, { method: 'POST', token: null, headers: { 'X-Forwarded-For': '203.0.113.9' } });
    for (const [i, user] of ['u1', 'u2', 'u3', 'u4', 'u5'].entries()) expect((await login(i % 2 === 0 ? a : b, user)).status).to.equal(204);
    const problem = await problemOf(await login(b, 'u6'));
    expect(problem.detail).to.match(/^Too many login attempts from address 203\.0\.113\.9 \(at most 5 per 30 s\): retry in \d+ s$/);
    // Only that address is spent: the same user from another address gets through.
    expect((await a.fetch('/v1/probe/login?user=u1', { method: 'POST', token: null, headers: { 'X-Forwarded-For': '203.0.113.10' } })).status).to.equal(204);
  });

  it('ignores X-Forwarded-For unless api.trustProxy says to believe it', async () => {
    const [a, b] = await replicas(false);
    const login = (app: TestApp, i: number) => app.fetch(`/v1/probe/login?user=u${i}`, { method: 'POST', token: null, headers: { 'X-Forwarded-For': `198.51.100.${i}` } });
    for (let i = 0; i < 5; i++) expect((await login(i % 2 === 0 ? a : b, i)).status).to.equal(204);
    expect((await problemOf(await login(a, 5))).detail).to.match(/^Too many login attempts from address 127\.0\.0\.1 /);
  });

  it('counts build submissions per user across replicas and frees the budget when the window ends', async () => {
    const [a, b] = await replicas();
    const submit = (app: TestApp) => app.fetch('/v1/probe/submit', { method: 'POST' });
    // Start at the beginning of a fresh window, so the two allowed calls fall inside it.
    expect((await submit(a)).status).to.equal(204);
    expect((await submit(b)).status).to.equal(204);
    const refused = await submit(a);
    expect(refused.headers.get('retry-after')).to.equal('1');
    expect((await problemOf(refused)).detail).to.equal('Too many build submissions by user "alice" (at most 2 per 1 s): retry in 1 s');
    // bob has a budget of his own.
    expect((await a.fetch('/v1/probe/submit', { method: 'POST', token: 'bob-token-9a8b7c6d5e4f' })).status).to.equal(204);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await submit(b)).status).to.equal(204);
  });

  it('holds for POST /v1/builds and /v1/builds/validate across replicas (the real routes)', async () => {
    const [a, b] = await replicas();
    const body = JSON.stringify({ template: 'hfitVersion: 1\ntemplateName: orders\npackageName: orders_$1\nexports: {}\n', args: ['1'] });
    const post = (app: TestApp, path: string) => app.fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect((await post(a, '/v1/builds')).status).to.equal(202);
    expect((await post(b, '/v1/builds/validate')).status).to.equal(200);
    const refused = await post(b, '/v1/builds');
    expect(refused.headers.get('retry-after')).to.equal('1');
    expect((await problemOf(refused)).code).to.equal('RATE_LIMITED');
    expect(a.builds.calls.filter((c) => c.method === 'submit').length + b.builds.calls.filter((c) => c.method === 'submit').length).to.equal(1);
  });

  it('keys addresses the way a per-address limit needs: IPv4-mapped as IPv4, IPv6 by its /64', () => {
    expect(addressKey('::ffff:192.0.2.7')).to.equal('192.0.2.7');
    expect(addressKey('192.0.2.7')).to.equal('192.0.2.7');
    expect(addressKey('2001:db8:0:12:aaaa::1')).to.equal('2001:db8:0:12::/64');
    expect(addressKey('2001:0db8:0000:0012:bbbb:cccc:dddd:eeee')).to.equal('2001:db8:0:12::/64');
    expect(addressKey('::1')).to.equal('0:0:0:0::/64');
  });
});
