import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJobId, type ExportJobData, type ExportJobResult } from '@hfit/builds';
import { createPlatformFixture, waitForFinalBuild, type PlatformFixture } from '@hfit/builds/testing';
import { QUEUE_NAMES, type BuildView } from '@hfit/contracts';
import { closeAll, createQueue, queueClosable } from '@hfit/queue';
import type { Queue } from 'bullmq';
import { expect } from 'chai';
import { activeHolder, exportOf, fillOrders, jobIn, listKeys, ORDERS_EXPORTS, ordersTemplate, waitUntil } from './testing/build-probes.js';
import { stopAll, WorkerProcess } from './testing/worker-process.js';

const caller = { user: 'alice' };
/** Rows of `orders` after {@link fillOrders}: export job 0 of {@link ordersTemplate} streams for 1-2 s. */
const ORDERS = 400_000;
/** Short locks (an abandoned job is re-run about 3-4 s later); one export job at a time per process. */
const WORKER = { lockDurationMs: 3_000, stalledIntervalMs: 1_000, maxStalledCount: 2, exportConcurrency: 1 };

describe('worker shutdown (SIGTERM) during a build', function () {
  this.timeout(90_000);
  let fx: PlatformFixture;
  let exportQueue: Queue<ExportJobData, ExportJobResult>;
  let procs: WorkerProcess[];
  /** Cleanups of what {@link setUp} made, run in reverse order after each test. */
  let cleanups: (() => Promise<unknown>)[];

  /** The fixture, with the test's shutdown timeout (and other worker settings) in its config. */
  async function setUp(shutdownTimeoutMs: number, worker: Record<string, number> = {}): Promise<void> {
    fx = await createPlatformFixture({ orders: 50, worker: { ...WORKER, shutdownTimeoutMs, ...worker } });
    cleanups.push(() => fx.dispose());
    await fillOrders(fx, ORDERS);
    exportQueue = createQueue<ExportJobData, ExportJobResult>(QUEUE_NAMES.export, { connection: fx.redis, prefix: fx.prefix });
    cleanups.push(() => closeAll([queueClosable(exportQueue, 'export queue')], { timeoutMs: 5_000 }));
  }

  async function startWorker(label: string): Promise<WorkerProcess> {
    const p = await WorkerProcess.start(label, { configPath: fx.configPath, env: { TMPDIR: fx.dir } });
    procs.push(p);
    return p;
  }

  /** Submits a template (default: the orders template); returns the build id. */
  async function submit(template = ordersTemplate(fx.my.name, 'shutdown'), consistency: 'source' | 'export' = 'source'): Promise<string> {
    const { view } = await fx.service.submit(caller, { template, args: ['1'], namedArgs: {}, options: { format: 'tar.gz', consistency } });
    return view.id;
  }

  /** Every export complete, and nothing left in staging. */
  async function expectComplete(done: BuildView): Promise<void> {
    expect(done.state, JSON.stringify(done.error)).to.equal('succeeded');
    for (const name of ORDERS_EXPORTS) expect(exportOf(done, name).rows, name).to.equal(ORDERS);
    expect(await listKeys(fx.objects, `packages/${done.packageName}/`)).to.deep.equal([
      `packages/${done.packageName}/${done.id}.build.json`,
      `packages/${done.packageName}/${done.id}.tar.gz`,
    ]);
    await waitUntil('the staging area to be empty', async () => ((await listKeys(fx.objects, 'staging/')).length === 0 ? true : undefined), 5_000);
  }

  beforeEach(() => {
    procs = [];
    cleanups = [];
  });
  afterEach(async function () {
    await stopAll(procs, this.currentTest?.state === 'failed');
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('with time to spare: takes no new job, finishes the running export, exits 0; another worker completes the build', async () => {
    await setUp(30_000);
    const w1 = await startWorker('w1');
    const id = await submit();
    const first = exportJobId(id, 0);
    await waitUntil(
      'export job 0 to stream on w1',
      async () => {
        if ((await activeHolder(exportQueue, first)) !== w1.name) return undefined;
        const v = await fx.service.get(caller, id);
        return exportOf(v, ORDERS_EXPORTS[0]).state === 'running' ? true : undefined;
      },
      30_000,
      10,
    );
    w1.kill('SIGTERM');
    const exit = await w1.waitForExit(20_000);
    expect(exit, w1.output).to.include({ code: 0, signal: null });
    expect(w1.logs('shutdown incomplete')).to.deep.equal([]);
    const stoppedAt = Date.parse(String((await w1.waitForLog('stopping', 0))['time']));

    // It finished what it was running…
    const job0 = await exportQueue.getJob(first);
    expect(await job0!.getState()).to.equal('completed');
    expect(job0!.processedBy).to.equal(w1.name);
    expect(job0!.finishedOn!).to.be.greaterThan(stoppedAt);
    // …and took nothing else: the other export jobs and the build wait for another worker.
    for (const g of [1, 2]) {
      const job = await exportQueue.getJob(exportJobId(id, g));
      expect(await job!.getState(), `export job ${g}`).to.equal('waiting');
      expect(job!.processedBy, `export job ${g}`).to.equal(undefined);
    }
    expect(await fx.buildQueue.getJobState(id)).to.equal('waiting-children');
    expect((await fx.service.get(caller, id)).state).to.equal('running');

    const w2 = await startWorker('w2');
    const done = await waitForFinalBuild(fx.service, id, 60_000);
    await expectComplete(done);
    for (const g of [1, 2]) expect((await exportQueue.getJob(exportJobId(id, g)))!.processedBy).to.equal(w2.name);
    const after = (await exportQueue.getJob(first))!;
    expect(after.processedBy, 'export job 0 was run again').to.equal(w1.name);
    expect(after.attemptsStarted).to.equal(1);
    expect((await jobIn(fx.buildQueue, id, 'completed')).processedBy).to.equal(w2.name);
  });

  it('with a tiny shutdown timeout: exits promptly and the abandoned export is re-run by another worker once its lock expires', async () => {
    await setUp(500);
    const workers = await Promise.all([startWorker('w1'), startWorker('w2')]);
    const id = await submit();
    const first = exportJobId(id, 0);
    // Early in export job 0 (in its first two tables): seconds of work left, far beyond 500 ms.
    const victim = await waitUntil(
      'export job 0 to stream',
      async () => {
        const holder = await activeHolder(exportQueue, first);
        if (holder === undefined) return undefined;
        const v = await fx.service.get(caller, id);
        if (!ORDERS_EXPORTS.slice(0, 2).some((name) => exportOf(v, name).state === 'running')) return undefined;
        return workers.find((w) => w.name === holder);
      },
      30_000,
      10,
    );
    const other = workers.find((w) => w !== victim)!;
    victim.kill('SIGTERM');
    const sigtermAt = Date.now();
    const exit = await victim.waitForExit(10_000);
    // 500 ms to finish, then forcing (at most 1 s), then exit 1: its job did not finish in time.
    expect(exit.at - sigtermAt, 'shutdown took too long').to.be.below(3_000);
    expect(exit, victim.output).to.include({ code: 1, signal: null });
    expect(victim.logs('shutdown incomplete')).to.have.length(1);

    const done = await waitForFinalBuild(fx.service, id, 60_000);
    await expectComplete(done);
    const job0 = await jobIn(exportQueue, first, 'completed');
    expect(job0.processedBy).to.equal(other.name);
    expect(job0.processedOn!).to.be.greaterThan(exit.at);
    expect(job0.attemptsStarted).to.equal(2);
  });

  it('while a build job assembles its archive: takes no new export job of another build, finishes both running jobs, exits 0', async () => {
    await setUp(30_000, { concurrency: 2 });
    // Incompressible bytes: assembling this archive takes seconds.
    await writeFile(path.join(fx.volumeRoot, 'blob.bin'), randomBytes(64 * 1024 * 1024));
    const archiveHeavy = `hfitVersion: 1
templateName: shutdown_archive
packageName: shutdown_archive_$1
exports:
  blob.bin: { type: file, data: { volume: invoices, path: blob.bin } }
  invoice.txt: { type: file, data: { volume: invoices, path: "invoice_$1.txt" } }
`;
    const w1 = await startWorker('w1');
    const x = await submit(archiveHeavy);
    await waitUntil(
      `build ${x} to assemble on w1`,
      async () => {
        const v = await fx.service.get(caller, x);
        if (v.progress.exportsTotal === 0 || v.progress.exportsDone !== v.progress.exportsTotal) return undefined;
        return (await activeHolder(fx.buildQueue, x)) === w1.name ? true : undefined;
      },
      30_000,
      10,
    );
    // Another build, one export job per export: w1 plans it (build concurrency 2) and starts its first export.
    const y = await submit(ordersTemplate(fx.my.name, 'shutdown'), 'export');
    await waitUntil(`an export of build ${y} to run on w1`, async () => ((await activeHolder(exportQueue, exportJobId(y, 0))) === w1.name ? true : undefined), 30_000, 10);
    expect(await activeHolder(fx.buildQueue, x), 'the archive was already assembled').to.equal(w1.name);
    w1.kill('SIGTERM');
    const exit = await w1.waitForExit(30_000);
    expect(exit, w1.output).to.include({ code: 0, signal: null });
    const stoppedAt = Date.parse(String((await w1.waitForLog('stopping', 0))['time']));

    const built = await jobIn(fx.buildQueue, x, 'completed');
    expect(built.processedBy).to.equal(w1.name);
    expect(built.finishedOn!).to.be.greaterThan(stoppedAt);
    expect((await fx.service.get(caller, x)).state).to.equal('succeeded');
    const exportsOfY = await Promise.all([0, 1, 2, 3, 4].map((g) => exportQueue.getJob(exportJobId(y, g))));
    const takenAfterStop = exportsOfY.filter((j) => j!.processedBy === w1.name && j!.processedOn! > stoppedAt).map((j) => j!.id);
    expect(takenAfterStop, 'export jobs w1 took after it was told to stop').to.deep.equal([]);
    const first = exportsOfY[0]!;
    expect(await first.getState()).to.equal('completed');
    expect(first.finishedOn!).to.be.greaterThan(stoppedAt);
    expect(await exportQueue.getJobState(exportJobId(y, 1))).to.equal('waiting');

    await startWorker('w2');
    await expectComplete(await waitForFinalBuild(fx.service, y, 60_000));
  });
});
