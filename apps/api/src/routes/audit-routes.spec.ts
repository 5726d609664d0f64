import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createAuditLog, type AuditLog } from '@hfit/audit';
import { createTestAuditDir, type TestAuditDir } from '@hfit/audit/testing';
import { AuditPageSchema, AuditVerificationSchema, ProblemSchema } from '@hfit/contracts';
import { createLogger } from '@hfit/logger';
import { closeAll, createRedisConnection, redisClosable, waitForRedisReady } from '@hfit/queue';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueTestPrefix } from '@hfit/queue/testing';
import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { startTestApp, type TestApp } from '../testing/start-test-app.js';
import { TEST_ADMIN_TOKEN, testServerConfig } from '../testing/test-server-config.js';
import { auditRoutes } from './audit-routes.js';

describe('GET /v1/admin/audit and /v1/admin/audit/verify', () => {
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

  it('verifies the audit files for an admin: 200 with ok, or with the problems; 400 for a malformed since', async () => {
    const clean = await app.fetch('/v1/admin/audit/verify', { token: TEST_ADMIN_TOKEN });
    expect(clean.status).to.equal(200);
    const [name] = await readdir(dir.dir);
    expect(AuditVerificationSchema.parse(await clean.json())).to.deep.equal({ ok: true, files: [{ file: name!, lines: 7, writers: 1, ok: true, problems: [] }], missing: [] });

    // The last line removed: the file alone still chains; the anchor in Redis tells.
    const file = path.join(dir.dir, name!);
    await writeFile(file, `${(await readFile(file, 'utf8')).trimEnd().split('\n').slice(0, -1).join('\n')}\n`);
    const truncated = await app.fetch('/v1/admin/audit/verify', { token: TEST_ADMIN_TOKEN });
    expect(truncated.status).to.equal(200);
    const broken = AuditVerificationSchema.parse(await truncated.json());
    expect(broken.ok).to.equal(false);
    expect(broken.files[0]!.problems.map((p) => p.message)).to.deep.equal([`writer ${log.writer}: the chain ends at seq 6, but seq 7 was anchored when written: the last line of the chain was removed`]);
    const later = await app.fetch('/v1/admin/audit/verify?since=2999-01-01', { token: TEST_ADMIN_TOKEN });
    expect(AuditVerificationSchema.parse(await later.json())).to.deep.equal({ ok: true, files: [], missing: [] });

    const bad = await app.fetch('/v1/admin/audit/verify?since=2026-02-30', { token: TEST_ADMIN_TOKEN });
    expect(bad.status).to.equal(400);
    const problem = ProblemSchema.parse(await bad.json());
    expect(problem.field).to.equal('query.since');
    expect(problem.detail).to.equal('Request invalid: query.since: must be a UTC day as YYYY-MM-DD, e.g. 2026-05-01');
    const denied = await app.fetch('/v1/admin/audit/verify');
    expect(denied.status).to.equal(403);
    expect(ProblemSchema.parse(await denied.json()).code).to.equal('FORBIDDEN');
  });

  it('is in the OpenAPI document, answering the AuditVerification schema', async () => {
    const doc = (await (await app.fetch('/openapi.json', { token: null })).json()) as { paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>; components: { schemas: Record<string, unknown> } };
    const op = doc.paths['/v1/admin/audit/verify']!['get']!;
    expect(op.operationId).to.equal('verifyAudit');
    expect(op.responses['200']!.content!['application/json']!.schema).to.deep.equal({ $ref: '#/components/schemas/AuditVerification' });
    expect(doc.components.schemas).to.have.property('AuditVerification');
  });
});
