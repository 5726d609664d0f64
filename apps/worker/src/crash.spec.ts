import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cleanupStaging, exportJobId, type ExportJobData, type ExportJobResult } from '@hfit/builds';
import { createPlatformFixture, waitForFinalBuild, type PlatformFixture } from '@hfit/builds/testing';
import { QUEUE_NAMES, type BuildView, type CreateBuildRequest } from '@hfit/contracts';
import { closeAll, createQueue, queueClosable } from '@hfit/queue';
import type { Queue } from 'bullmq';
import { startTcpProxy } from '@hfit/contracts/testing';
import { expect } from 'chai';
import { abandonedUploads, activeHolder, exportOf, fillOrders, jobIn, listKeys, ORDERS_EXPORTS, ordersTemplate, waitUntil } from './testing/build-probes.js';
import { stopAll, WorkerProcess } from './testing/worker-process.js';

const caller = { user: 'alice' };
/** Rows of `orders` after {@link fillOrders}: about 20 MB of SQL, 1-2 s to export. */
const ORDERS = 400_000;
/** Short locks: a killed worker's job is re-run about 3-4 s later. */
const CRASH_WORKER = { lockDurationMs: 3_000, stalledIntervalMs: 1_000, maxStalledCount: 2 };

/**
 * Starts worker processes whose temp folder is the fixture's (a killed worker leaves its archive
 * work folder behind; the fixture's `dispose` removes it).
 */
async function startWorkers(fx: PlatformFixture, procs: WorkerProcess[], labels: string[], configPath = fx.configPath): Promise<WorkerProcess[]> {
  return Promise.all(
    labels.map(async (label) => {
      const p = await WorkerProcess.start(label, { configPath, env: { TMPDIR: fx.dir } });
      procs.push(p);
      return p;
    }),
  );
}

function request(template: string): CreateBuildRequest {
  return { template, args: ['1'], namedArgs: {}, options: { format: 'tar.gz', consistency: 'source' } };
}

/** What {@link useCrashFixture} gives a suite: set up before each test, torn down after it. */
interface CrashContext {
  fx: PlatformFixture;
  exportQueue: Queue<ExportJobData, ExportJobResult>;
  procs: WorkerProcess[];
  cleanups: (() => Promise<unknown>)[];
}

/**
 * Registers the per-test set-up of these suites: a platform fixture with `worker` settings,
 * seeded by `seed`, an export queue to watch jobs, and teardown of worker processes (their output
 * kept when the test failed) and of everything registered in `cleanups`, newest first.
 */
function useCrashFixture(worker: Record<string, number>, seed: (fx: PlatformFixture) => Promise<unknown>): CrashContext {
  const ctx = {} as CrashContext;
  beforeEach(async () => {
    ctx.procs = [];
    ctx.cleanups = [];
    ctx.fx = await createPlatformFixture({ orders: 50, worker });
    ctx.cleanups.push(() => ctx.fx.dispose());
    await seed(ctx.fx);
    ctx.exportQueue = createQueue<ExportJobData, ExportJobResult>(QUEUE_NAMES.export, { connection: ctx.fx.redis, prefix: ctx.fx.prefix });
    const queue = ctx.exportQueue;
    ctx.cleanups.push(() => closeAll([queueClosable(queue, 'export queue')], { timeoutMs: 5_000 }));
  });
  afterEach(async function () {
    await stopAll(ctx.procs, this.currentTest?.state === 'failed');
    for (const cleanup of ctx.cleanups.reverse()) await cleanup();
  });
  return ctx;
}

describe('worker crash (SIGKILL) during a build', function () {
  this.timeout(90_000);
  const ctx = useCrashFixture(CRASH_WORKER, (fx) => fillOrders(fx, ORDERS));

  /** Runs `template` with no interference; returns its sha256. */
  async function undisturbedSha(template: string): Promise<string> {
    const { view } = await ctx.fx.service.submit(caller, request(template));
    const done = await waitForFinalBuild(ctx.fx.service, view.id);
    expect(done.state, JSON.stringify(done.error)).to.equal('succeeded');
    return done.artifact!.sha256;
  }

  /** The published objects of build `id`, and that the staging area ends empty. */
  async function expectOnePackageAndNoStaging(done: BuildView): Promise<void> {
    const published = await listKeys(ctx.fx.objects, `packages/${done.packageName}/`);
    expect(published.filter((k) => k.includes(done.id))).to.deep.equal([
      `packages/${done.packageName}/${done.id}.build.json`,
      `packages/${done.packageName}/${done.id}.tar.gz`,
    ]);
    // The runner removes the staged files right after marking the build succeeded.
    await waitUntil('the staging area to be empty', async () => ((await listKeys(ctx.fx.objects, 'staging/')).length === 0 ? true : undefined), 5_000);
    // What the killed process was writing is left as a temp file: maintenance's cleanup removes it.
    await cleanupStaging(ctx.fx.store, ctx.fx.objects, 0);
    expect(await listKeys(ctx.fx.objects, 'staging/')).to.deep.equal([]);
    expect(await abandonedUploads(ctx.fx.storageRoot)).to.deep.equal([]);
  }

  it('re-runs an export whose worker was killed mid-extraction on the other worker, and publishes the same bytes once', async () => {
    const template = ordersTemplate(ctx.fx.my.name, 'crash_export');
    const workers = await startWorkers(ctx.fx, ctx.procs, ['w1', 'w2']);
    const reference = await undisturbedSha(template);

    const { view } = await ctx.fx.service.submit(caller, request(template));
    // Group 0 reads shop_mysql (groups follow the template's order): the long one.
    const jobId = exportJobId(view.id, 0);
    const victim = await waitUntil(
      'the orders exports to stream on a worker process',
      async () => {
        const holder = await activeHolder(ctx.exportQueue, jobId);
        if (holder === undefined) return undefined;
        // Mid-extraction: rows already staged, and a table still streaming.
        const v = await ctx.fx.service.get(caller, view.id);
        const orders = ORDERS_EXPORTS.map((name) => exportOf(v, name));
        if (!orders.some((e) => e.state === 'running') || orders.every((e) => e.bytes === 0)) return undefined;
        return workers.find((w) => w.name === holder);
      },
      30_000,
      20,
    );
    victim.kill('SIGKILL');
    const killedAt = Date.now();
    const survivor = workers.find((w) => w !== victim)!;
    expect((await victim.waitForExit(5_000)).signal).to.equal('SIGKILL');
    const atKill = await ctx.fx.service.get(caller, view.id);
    expect(atKill.state).to.equal('running');
    expect(ORDERS_EXPORTS.map((name) => exportOf(atKill, name).state), 'the group was no longer extracting when its worker was killed').to.include('running');

    const done = await waitForFinalBuild(ctx.fx.service, view.id, 60_000);
    expect(done.state, JSON.stringify(done.error)).to.equal('succeeded');
    expect(done.artifact!.sha256).to.equal(reference);
    for (const name of ORDERS_EXPORTS) expect(exportOf(done, name).rows, name).to.equal(ORDERS);
    const job = await jobIn(ctx.exportQueue, jobId, 'completed');
    // Re-run by the survivor after the lock expired, without using a retry: a crash is a stall.
    expect(job.processedBy).to.equal(survivor.name);
    expect(job.processedOn!).to.be.greaterThan(killedAt);
    expect(job.attemptsMade).to.equal(1);
    expect(job.attemptsStarted).to.equal(2);
    await expectOnePackageAndNoStaging(done);
  });

  it('re-assembles the archive on the other worker when the worker holding the build job dies while archiving', async () => {
    const db = ctx.fx.my.name;
    // Incompressible bytes make gzip slow enough to hit: the archive step takes seconds.
    await writeFile(path.join(ctx.fx.volumeRoot, 'blob.bin'), randomBytes(48 * 1024 * 1024));
    const template = `hfitVersion: 1
templateName: crash_archive
packageName: crash_archive_$1
exports:
  orders.data.sql: { type: table-data, data: { dbms: shop_mysql, table: ${db}.orders } }
  blob.bin: { type: file, data: { volume: invoices, path: blob.bin } }
  invoice.txt: { type: file, data: { volume: invoices, path: "invoice_$1.txt" } }
`;
    const workers = await startWorkers(ctx.fx, ctx.procs, ['w1', 'w2']);
    const reference = await undisturbedSha(template);

    const { view } = await ctx.fx.service.submit(caller, request(template));
    const victim = await waitUntil(
      'the build job to assemble the archive on a worker process',
      async () => {
        // Every export reported done first: the build job's next activation is the assembly.
        const v = await ctx.fx.service.get(caller, view.id);
        if (v.state !== 'running' || v.progress.exportsTotal === 0 || v.progress.exportsDone !== v.progress.exportsTotal) return undefined;
        const holder = await activeHolder(ctx.fx.buildQueue, view.id);
        return workers.find((w) => w.name === holder);
      },
      30_000,
      20,
    );
    victim.kill('SIGKILL');
    const killedAt = Date.now();
    const survivor = workers.find((w) => w !== victim)!;
    expect((await victim.waitForExit(5_000)).signal).to.equal('SIGKILL');
    expect((await ctx.fx.service.get(caller, view.id)).state, 'the build was no longer assembling when its worker was killed').to.equal('running');

    const done = await waitForFinalBuild(ctx.fx.service, view.id, 60_000);
    expect(done.state, JSON.stringify(done.error)).to.equal('succeeded');
    expect(done.artifact!.sha256).to.equal(reference);
    expect(Date.parse(done.finishedAt!)).to.be.greaterThan(killedAt);
    const job = await jobIn(ctx.fx.buildQueue, view.id, 'completed');
    expect(job.processedBy).to.equal(survivor.name);
    expect(job.returnvalue).to.deep.include({ state: 'succeeded', sha256: reference });
    await expectOnePackageAndNoStaging(done);
  });
});

describe('source database unreachable in the middle of a build', function () {
  this.timeout(90_000);
  // Enough rows that the export is still streaming when the database goes away.
  const ctx = useCrashFixture({ backoffMs: 200, attempts: 3 }, (fx) =>
    fx.pg.exec(
      `INSERT INTO app.events SELECT g, (g % 50) + 1, 'kind-' || (g % 3), jsonb_build_object('n', g) FROM generate_series(101, 1000000) g`,
    ),
  );

  it('retries the export, then fails the build with SOURCE_UNREACHABLE and leaves nothing behind', async () => {
    const pg = ctx.fx.config.sources.find((s) => s.name === 'shop_pg')!;
    const proxy = await startTcpProxy({ host: pg.host, port: pg.port });
    ctx.cleanups.push(() => proxy.cut());
    // The worker reaches PostgreSQL only through the proxy (JSON is YAML).
    const config = JSON.parse(await readFile(ctx.fx.configPath, 'utf8')) as { sources: { shop_pg: { host: string; port: number } } };
    config.sources.shop_pg = { ...config.sources.shop_pg, host: '127.0.0.1', port: proxy.port };
    const configPath = path.join(ctx.fx.dir, 'hfit-proxied.yaml');
    await writeFile(configPath, JSON.stringify(config, null, 2));
    const [worker] = await startWorkers(ctx.fx, ctx.procs, ['w1'], configPath);
    const template = `hfitVersion: 1
templateName: pg_down
packageName: pg_down_$1
exports:
  events.data.sql: { type: table-data, data: { dbms: shop_pg, table: app.events, format: copy } }
  invoice.txt: { type: file, data: { volume: invoices, path: "invoice_$1.txt" } }
`;
    const { view } = await ctx.fx.service.submit(caller, request(template));
    // Planned (through the proxy), and the export streaming: then the database goes away.
    await waitUntil('the build to be planned', async () => ((await ctx.fx.store.get(view.id))?.exportKeys ? true : undefined), 30_000, 10);
    const planningConnections = proxy.accepted;
    await waitUntil(
      'the events export to stream',
      async () => {
        const e = exportOf(await ctx.fx.service.get(caller, view.id), 'events.data.sql');
        return e.state === 'running' && e.bytes > 0 ? true : undefined;
      },
      30_000,
      10,
    );
    await proxy.cut();

    const done = await waitForFinalBuild(ctx.fx.service, view.id, 60_000);
    expect(planningConnections, 'the worker did not reach PostgreSQL through the proxy').to.be.at.least(1);
    expect(done.state).to.equal('failed');
    expect(done.error?.code, JSON.stringify(done.error)).to.equal('SOURCE_UNREACHABLE');
    expect(done.progress.exports.find((e) => e.name === 'events.data.sql')?.state).to.equal('failed');
    expect(done.error?.message).to.match(/^export "events\.data\.sql": cannot connect to source "shop_pg" \(postgres 127\.0\.0\.1:\d+\): connect ECONNREFUSED/);
    const job = await jobIn(ctx.exportQueue, exportJobId(view.id, 0), 'failed');
    expect(job.data.label).to.equal('source:shop_pg');
    expect(job.attemptsMade).to.equal(3);
    const retries = worker!.logs('job failed, will retry').filter((l) => l['job'] === job.id);
    expect(retries.map((l) => l['attempt'])).to.deep.equal([1, 2]);
    // The first attempt lost its connection mid-stream (a reset); the next ones could not connect.
    expect(retries.map((l) => (l['err'] as { code?: string }).code)).to.deep.equal(['ECONNRESET', 'SOURCE_UNREACHABLE']);
    expect(await listKeys(ctx.fx.objects, 'packages/')).to.deep.equal([]);
    await waitUntil('the staging area to be empty', async () => ((await listKeys(ctx.fx.objects, 'staging/')).length === 0 ? true : undefined), 5_000);
  });
});
