import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HealthSchema } from '@hfit/contracts';
import { createRedisConnection, waitForRedisReady } from '@hfit/queue';
import { FsObjectStore } from '@hfit/storage';
import { expect } from 'chai';
import { redisReadiness } from '../readiness/redis-readiness.js';
import { storageReadiness } from '../readiness/storage-readiness.js';
import { startTestApp, type TestApp } from '../testing/start-test-app.js';

/** A TCP port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('health and readiness', () => {
  let app: TestApp | undefined;
  let dir: string;
  const connections: ReturnType<typeof createRedisConnection>[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hfit-api-ready-'));
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    for (const c of connections.splice(0)) c.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  it('GET /healthz is 200 without a token and never cached', async () => {
    app = await startTestApp({ readiness: { never: () => new Promise<void>(() => undefined) } });
    const res = await app.fetch('/healthz', { token: null });
    expect(res.status).to.equal(200);
    expect(res.headers.get('cache-control')).to.equal('no-store');
    expect(await res.json()).to.deep.equal({ status: 'ok' });
  });

  it('GET /readyz is 200 when the real Redis and a real fs object store answer', async () => {
    const redis = createRedisConnection({ url: 'redis://127.0.0.1:6379', role: 'queue' });
    connections.push(redis);
    await waitForRedisReady(redis);
    app = await startTestApp({ readiness: { redis: redisReadiness(redis), storage: storageReadiness(new FsObjectStore({ root: dir })) } });
    const res = await app.fetch('/readyz', { token: null });
    expect(res.status).to.equal(200);
    expect(HealthSchema.parse(await res.json())).to.deep.equal({ status: 'ok', checks: { redis: 'ok', storage: 'ok' } });
  });

  it('GET /readyz is 503 naming Redis when it is not reachable, without its URL or password', async () => {
    const port = await closedPort();
    const redis = createRedisConnection({ url: `redis://:hunter2-secret@127.0.0.1:${port}`, role: 'queue' });
    connections.push(redis);
    app = await startTestApp({ readiness: { redis: redisReadiness(redis), storage: storageReadiness(new FsObjectStore({ root: dir })) } });
    const res = await app.fetch('/readyz', { token: null });
    expect(res.status).to.equal(503);
    expect(res.headers.get('cache-control')).to.equal('no-store');
    const text = await res.text();
    expect(JSON.parse(text)).to.deep.equal({ status: 'unavailable', checks: { redis: 'failed: REDIS_UNREACHABLE', storage: 'ok' } });
    expect(text).not.to.include('hunter2').and.not.to.include(String(port));
    expect(app.logs.text()).to.include('readiness check failed').and.not.to.include('hunter2');
  });

  it('bounds each check by the readiness timeout', async () => {
    app = await startTestApp({ readinessTimeoutMs: 100, readiness: { slow: () => new Promise<void>(() => undefined), fine: async () => undefined } });
    const started = Date.now();
    const res = await app.fetch('/readyz', { token: null });
    expect(Date.now() - started).to.be.below(2000);
    expect(res.status).to.equal(503);
    expect(await res.json()).to.deep.equal({ status: 'unavailable', checks: { slow: 'timed out after 100 ms', fine: 'ok' } });
  });
});
