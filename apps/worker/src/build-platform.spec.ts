import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createBuildService, objectStoreOf } from '@hfit/builds';
import { createPlatformFixture, waitForFinalBuild, type PlatformFixture } from '@hfit/builds/testing';
import type { LoadedServerConfig } from '@hfit/config';
import { startFakeS3, type FakeS3 } from '@hfit/storage/testing';
import { createLogger } from '@hfit/logger';
import { QUEUE_NAMES } from '@hfit/contracts';
import { Queue } from 'bullmq';
import { expect } from 'chai';
import { engineConfigOf } from './engine-config.js';
import { startWorker, type StartedWorker } from './start-worker.js';
import { buildJobSettled } from './testing/build-probes.js';
import { sha256File, unpackArtifact } from './testing/unpack-artifact.js';

const caller = { user: 'alice' };
const quiet = createLogger({ name: 'test', level: 'silent' });

describe('build platform (service + in-process worker)', function () {
  this.timeout(120_000);
  let fx: PlatformFixture;
  let worker: StartedWorker;

  beforeEach(async () => {
    fx = await createPlatformFixture();
    worker = await startWorker(fx.config, quiet, { name: 'w1', maintenance: false });
  });
  afterEach(async () => {
    await worker?.close(5_000);
    await fx?.dispose();
  });

  for (const format of ['tar.gz', 'zip'] as const) {
    it(`builds the sample template into a ${format} whose files match the manifest and the source rows`, async () => {
      const { view } = await fx.service.submit(caller, { template: fx.template, args: ['7'], namedArgs: {}, options: { format, consistency: 'source' } });
      expect(view.state).to.equal('queued');
      const done = await waitForFinalBuild(fx.service, view.id);
      expect(done.error, JSON.stringify(done.error)).to.equal(undefined);
      expect(done.state).to.equal('succeeded');
      expect(done.packageName).to.equal('order_7');
      expect(done.progress.exportsDone).to.equal(7);
      expect(done.progress.exports.every((e) => e.state === 'done')).to.equal(true);
      const { object } = await fx.service.openArtifact(caller, view.id);
      const un = await unpackArtifact(object.body, format, 'order_7', fx.dir);
      expect(un.sha256).to.equal(done.artifact!.sha256);
      expect(un.manifest.archive).to.deep.equal({ format });
      expect(un.manifest.timings).to.equal(undefined);
      for (const f of un.manifest.files) expect(await sha256File(path.join(un.dir, 'order_7', f.path)), f.path).to.equal(f.sha256);
      expect(un.manifest.files.map((f) => f.path)).to.deep.equal([
        'attachments/att_7_1.txt',
        'attachments/att_7_2.txt',
        'customers.data.sql',
        'events.create.sql',
        'events.data.sql',
        'invoice.txt',
        'orders.data.sql',
        'shop.schema.sql',
      ]);
      const orders = un.manifest.files.find((f) => f.path === 'orders.data.sql')!;
      const [count] = await fx.my.query<{ n: number }>('SELECT COUNT(*) AS n FROM orders WHERE customer_id = (SELECT customer_id FROM orders WHERE id = 7)');
      expect(orders.rows).to.equal(Number(count!.n));
      expect(un.manifest.variables.map((v) => [v.variable, v.value])).to.deep.equal([
        ['orderId', '7'],
        ['customerId', '8'],
      ]);
    });
  }

  it('gives byte-identical archives for the same template and data, whatever the fan-out', async () => {
    const submit = (consistency: 'source' | 'export') =>
      fx.service.submit(caller, { template: fx.template, args: ['12'], namedArgs: {}, options: { format: 'tar.gz', consistency } });
    const a = (await submit('source')).view.id;
    const b = (await submit('source')).view.id;
    const c = (await submit('export')).view.id;
    const done = await Promise.all([a, b, c].map((id) => waitForFinalBuild(fx.service, id)));
    expect(done.map((d) => d.state)).to.deep.equal(['succeeded', 'succeeded', 'succeeded']);
    expect(new Set(done.map((d) => d.artifact!.sha256)).size).to.equal(1);
    // source: one child per source plus one for volume files; export: one child per export.
    const exportQueue = new Queue(QUEUE_NAMES.export, { connection: fx.redis, prefix: fx.prefix });
    try {
      expect(await exportQueue.getJob(`${a}.2`)).to.not.equal(undefined);
      expect(await exportQueue.getJob(`${a}.3`)).to.equal(undefined);
      expect(await exportQueue.getJob(`${c}.6`)).to.not.equal(undefined);
    } finally {
      await exportQueue.close();
    }
    for (const id of [a, b, c]) expect(await buildJobSettled(fx, id)).to.equal('completed');
    // Published once per build, staging removed by the time each build job completed.
    const keys: string[] = [];
    for await (const o of worker.objects.list('')) keys.push(o.key);
    expect(keys.filter((k) => k.startsWith('staging/'))).to.deep.equal([]);
    expect(keys.filter((k) => k.endsWith('.tar.gz')).sort()).to.deep.equal([a, b, c].map((id) => `packages/order_12/${id}.tar.gz`).sort());
    // "Latest" is the build that finished last (ties: the larger id, as the sorted set orders them).
    const lastFinished = [...done].sort((x, y) => Date.parse(x.finishedAt!) - Date.parse(y.finishedAt!) || (x.id < y.id ? -1 : 1)).at(-1)!;
    expect((await fx.service.latest(caller, 'order_12')).id).to.equal(lastFinished.id);
  });

  it('fails a build whose prepare query finds no row, with the step named, and publishes nothing', async () => {
    const { view } = await fx.service.submit(caller, { template: fx.template, args: ['999999'], namedArgs: {}, options: { format: 'tar.gz', consistency: 'source' } });
    const done = await waitForFinalBuild(fx.service, view.id);
    expect(done.state).to.equal('failed');
    expect(done.error?.code).to.equal('QUERY_NO_ROW');
    expect(done.error?.message).to.match(/customerId/);
    const keys: string[] = [];
    for await (const o of worker.objects.list('')) keys.push(o.key);
    expect(keys).to.deep.equal([]);
  });
});

describe('build platform on an S3-compatible store', function () {
  this.timeout(120_000);
  let fx: PlatformFixture;
  let s3: FakeS3;
  let worker: StartedWorker | undefined;

  before(async () => {
    [fx, s3] = await Promise.all([createPlatformFixture(), startFakeS3()]);
  });
  after(async () => {
    await worker?.close(5_000);
    await s3?.stop();
    await fx?.dispose();
  });

  it('stages, publishes and serves the archive through S3, with a presigned download', async () => {
    const bucket = `hfit-${Date.now()}`;
    expect((await fetch(`${s3.endpoint}/${bucket}`, { method: 'PUT' })).ok).to.equal(true);
    const config: LoadedServerConfig = {
      ...fx.config,
      storage: {
        type: 's3',
        bucket,
        prefix: 'prod',
        region: 'us-east-1',
        endpoint: s3.endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test-secret' },
        retention: {},
      },
    };
    worker = await startWorker(config, quiet, { name: 'w-s3', maintenance: false });
    const service = createBuildService({
      store: fx.store,
      objects: objectStoreOf(config),
      engine: engineConfigOf(config),
      buildQueue: fx.buildQueue,
      presignSeconds: 60,
    });
    const alice = fx.callerOf('alice');
    const { view } = await service.submit(alice, { template: fx.template, args: ['5'], namedArgs: {}, options: { format: 'tar.gz', consistency: 'export' } });
    const done = await waitForFinalBuild(service, view.id);
    expect(done.state, JSON.stringify(done.error)).to.equal('succeeded');
    const presigned = await service.presignArtifact(alice, view.id);
    expect(presigned?.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/hfit-[0-9]+\/prod\/packages\/order_5\//);
    const res = await fetch(presigned!.url);
    expect(res.status).to.equal(200);
    const un = await unpackArtifact(Readable.fromWeb(res.body! as WebReadableStream<Uint8Array>), 'tar.gz', 'order_5', fx.dir);
    expect(un.sha256).to.equal(done.artifact!.sha256);
    for (const f of un.manifest.files) expect(await sha256File(path.join(un.dir, 'order_5', f.path)), f.path).to.equal(f.sha256);
    expect(await buildJobSettled(fx, view.id)).to.equal('completed');
    const keys: string[] = [];
    for await (const o of worker.objects.list('')) keys.push(o.key);
    expect(keys.sort()).to.deep.equal([`packages/order_5/${view.id}.build.json`, `packages/order_5/${view.id}.tar.gz`]);
  });
});

describe('build platform with a large table (cancel, snapshot consistency)', function () {
  this.timeout(180_000);
  let fx: PlatformFixture;
  let worker: StartedWorker;
  const big = (db: string) => `hfitVersion: 1
templateName: big_orders
packageName: big
exports:
  a.orders.sql: { type: table-data, data: { dbms: shop_mysql, table: ${db}.orders } }
  b.customers.sql: { type: table-data, data: { dbms: shop_mysql, table: ${db}.customers } }
`;

  before(async () => {
    fx = await createPlatformFixture({ orders: 300_000 });
    worker = await startWorker(fx.config, quiet, { name: 'w1', maintenance: false });
  });
  after(async () => {
    await worker?.close(5_000);
    await fx?.dispose();
  });

  async function whenExportRunning(id: string, name: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const v = await fx.service.get(caller, id);
      const e = v.progress.exports.find((x) => x.name === name);
      if (e?.state === 'running') return;
      if (v.state !== 'queued' && v.state !== 'running') throw new Error(`build ended (${v.state}) before ${name} ran`);
      if (Date.now() > deadline) throw new Error(`${name} never ran`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('reads all tables of one source from one snapshot: rows added during the build are not in it', async () => {
    const { view } = await fx.service.submit(caller, { template: big(fx.my.name), args: [], namedArgs: {}, options: { format: 'tar.gz', consistency: 'source' } });
    await whenExportRunning(view.id, 'a.orders.sql');
    // Committed while orders is being read, before customers is: the snapshot must not see it.
    await fx.my.exec("INSERT INTO customers VALUES (999, 'Late customer', 'late@example.test')");
    try {
      const done = await waitForFinalBuild(fx.service, view.id, 120_000);
      expect(done.state, JSON.stringify(done.error)).to.equal('succeeded');
      const customers = done.progress.exports.find((e) => e.name === 'b.customers.sql')!;
      expect(customers.rows).to.equal(10);
      const { object } = await fx.service.openArtifact(caller, view.id);
      const un = await unpackArtifact(object.body, 'tar.gz', 'big', fx.dir);
      expect(un.manifest.sources).to.deep.equal([{ name: 'shop_mysql', type: 'mysql', serverVersion: un.manifest.sources[0]!.serverVersion, consistency: 'snapshot' }]);
      expect(un.manifest.files.find((f) => f.path === 'a.orders.sql')!.rows).to.equal(300_000);
    } finally {
      await fx.my.exec('DELETE FROM customers WHERE id = 999');
    }
  });

  it('stops a running build on cancel: state cancelled, nothing published, no staging left', async () => {
    const { view } = await fx.service.submit(caller, { template: big(fx.my.name), args: [], namedArgs: {}, options: { format: 'tar.gz', consistency: 'export' } });
    await whenExportRunning(view.id, 'a.orders.sql');
    const asked = await fx.service.cancel(caller, view.id);
    expect(asked.cancelRequestedAt).to.be.a('string');
    const t0 = Date.now();
    const done = await waitForFinalBuild(fx.service, view.id, 60_000);
    expect(done.state).to.equal('cancelled');
    expect(done.error?.code).to.equal('BUILD_CANCELLED');
    expect(Date.now() - t0).to.be.below(10_000);
    expect(await buildJobSettled(fx, view.id)).to.equal('failed');
    const keys: string[] = [];
    for await (const o of worker.objects.list('')) keys.push(o.key);
    expect(keys.filter((k) => k.includes(view.id))).to.deep.equal([]);
  });
});
