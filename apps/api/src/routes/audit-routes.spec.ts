import { createAuditLog, type AuditLog } from '@hfit/audit';
import { createTestAuditDir, type TestAuditDir } from '@hfit/audit/testing';
import { AuditPageSchema, ProblemSchema } from '@hfit/contracts';
import { createLogger } from '@hfit/logger';
import { closeAll, createRedisConnection, redisClosable, waitForRedisReady } from '@hfit/queue';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueTestPrefix } from '@hfit/queue/testing';
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { startTestApp, type TestApp } from '../testing/start-test-app.js';
import { TEST_ADMIN_TOKEN, testServerConfig } from '../testing/test-server-config.js';
import { auditRoutes } from './audit-routes.js';

describe('GET /v1/admin/audit', () => {
  let redis: Redis;
  let prefix: string;
  let dir: TestAuditDir;
  let log: AuditLog;
  let app: TestApp;

  beforeEach(async () => {
    prefix = uniqueTestPrefix();
    dir = await createTestAuditDir();
    redis = createRedisConnection({ url: TEST_REDIS_URL, role: 'queue' });
    await waitForRedisReady(redis);
    const config = testServerConfig();
    log = createAuditLog({ ...config.audit, dir: dir.dir }, redis, prefix, createLogger({ name: 'audit-routes-test', level: 'silent' }));
    app = await startTestApp({ config, routers: [auditRoutes(log)] });
    let t = Date.parse('2026-02-01T08:00:00Z');
    for (let i = 0; i < 7; i++) {
      await log.record({ action: i % 2 === 0 ? 'build.submit' : 'browse.rows', outcome: 'success', actor: i < 4 ? 'alice' : 'bob', time: new Date((t += 60_000)).toISOString(), target: `t${i}` });
    }
  });
  afterEach(async () => {
    await app.close();
    await log.close();
    await deleteKeysWithPrefix(redis, prefix);
    await closeAll([redisClosable(redis, 'redis')], { timeoutMs: 5_000 });
    await dir.dispose();
  });

  it('lists events to an admin, filtered and paged', async () => {
    const first = await app.fetch('/v1/admin/audit?action=build.submit&limit=2', { token: TEST_ADMIN_TOKEN });
    expect(first.status).to.equal(200);
    const page = AuditPageSchema.parse(await first.json());
    expect(page.items.map((e) => e.target)).to.deep.equal(['t0', 't2']);
    const second = AuditPageSchema.parse(await (await app.fetch(`/v1/admin/audit?action=build.submit&limit=2&cursor=${page.nextCursor!}`, { token: TEST_ADMIN_TOKEN })).json());
    expect(second.items.map((e) => e.target)).to.deep.equal(['t4', 't6']);
    expect(second.nextCursor).to.equal(undefined);
    const bob = AuditPageSchema.parse(await (await app.fetch('/v1/admin/audit?user=bob&since=2026-02-01T08:06:00Z', { token: TEST_ADMIN_TOKEN })).json());
    expect(bob.items.map((e) => e.target)).to.deep.equal(['t5', 't6']);
  });

  it('refuses users without the admin action (403) and bad queries (400)', async () => {
    const denied = await app.fetch('/v1/admin/audit');
    expect(denied.status).to.equal(403);
    expect(ProblemSchema.parse(await denied.json()).code).to.equal('FORBIDDEN');
    const bad = await app.fetch('/v1/admin/audit?limit=0&action=nope&colour=red', { token: TEST_ADMIN_TOKEN });
    expect(bad.status).to.equal(400);
    expect(ProblemSchema.parse(await bad.json()).errors?.map((e) => e.field).sort()).to.deep.equal(['query.action', 'query.colour', 'query.limit']);
    const cursor = await app.fetch('/v1/admin/audit?cursor=zzz', { token: TEST_ADMIN_TOKEN });
    expect(cursor.status).to.equal(400);
    expect(ProblemSchema.parse(await cursor.json()).field).to.equal('cursor');
    expect((await app.fetch('/v1/admin/audit', { token: null })).status).to.equal(401);
  });
});
