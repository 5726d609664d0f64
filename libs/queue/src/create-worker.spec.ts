import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HfitError } from '@hfit/contracts';
import type { Job } from 'bullmq';
import { expect } from 'chai';
import { queueClosable, workerClosable } from './closable.js';
import { createFlowProducer } from './create-flow-producer.js';
import { createQueueEvents } from './create-queue-events.js';
import { createQueue } from './create-queue.js';
import { createWorker } from './create-worker.js';
import type { CreateWorkerOptions } from './create-worker.js';
import { defaultJobOptions } from './default-job-options.js';
import { readJobFailure } from './job-failure.js';
import { QueueTestContext } from './testing/queue-test-context.js';
import { TEST_REDIS_URL } from './testing/redis-test-prefix.js';
import { waitForEvent } from './testing/wait-for-event.js';

const QUEUE = 'hfit-build';

describe('queue: processing, progress and retries', () => {
  let ctx: QueueTestContext;
  beforeEach(() => {
    ctx = new QueueTestContext();
  });
  afterEach(async () => {
    await ctx.dispose();
  });

  function worker<D, R>(processor: (job: Job<D, R>) => Promise<R>, extra: Partial<CreateWorkerOptions> = {}) {
    const w = createWorker<D, R>(QUEUE, processor, { connection: ctx.workerConnection, prefix: ctx.prefix, ...extra });
    return ctx.track(w, workerClosable(w));
  }

  it('processes a job and delivers its progress events to a QueueEvents listener', async () => {
    const queue = createQueue<{ n: number }, number>(QUEUE, { connection: ctx.queueConnection, prefix: ctx.prefix });
    ctx.track(queue, queueClosable(queue, 'queue'));
    const events = createQueueEvents(QUEUE, { connection: ctx.workerConnection, prefix: ctx.prefix });
    ctx.track(events, queueClosable(events, 'queue events'));
    await events.waitUntilReady();

    const progress: unknown[] = [];
    events.on('progress', ({ data }) => progress.push(data));
    worker<{ n: number }, number>(async (job) => {
      await job.updateProgress({ phase: 'rows', done: 1, total: 2 });
      await job.updateProgress({ phase: 'rows', done: 2, total: 2 });
      return job.data.n * 2;
    });
    const job = await queue.add('build', { n: 21 });
    const [completed] = await waitForEvent<[{ jobId: string; returnvalue: unknown }]>(events, 'completed', (e) => e.jobId === job.id);

    expect(completed.returnvalue).to.equal(42);
    expect(progress).to.deep.equal([
      { phase: 'rows', done: 1, total: 2 },
      { phase: 'rows', done: 2, total: 2 },
    ]);
  });

  it('retries a transient failure with exponential backoff, then succeeds', async () => {
    const queue = createQueue<null, string>(QUEUE, { connection: ctx.queueConnection, prefix: ctx.prefix });
    ctx.track(queue, queueClosable(queue, 'queue'));
    const startedAt: number[] = [];
    const w = worker<null, string>(async () => {
      startedAt.push(Date.now());
      if (startedAt.length === 1) throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      return 'ok';
    });
    const job = await queue.add('build', null);
    await waitForEvent<[Job]>(w, 'completed', (j) => j.id === job.id);

    const done = await queue.getJob(job.id ?? '');
    expect(done?.returnvalue).to.equal('ok');
    expect(done?.attemptsMade).to.equal(2);
    expect(startedAt).to.have.length(2);
    // First retry waits backoff.delay (1 s) * 2^0.
    expect((startedAt[1] ?? 0) - (startedAt[0] ?? 0)).to.be.at.least(defaultJobOptions.backoff.delay - 50);
  });

  it('fails a permanent error at once, without retries, with a readable code and message', async () => {
    const queue = createQueue(QUEUE, { connection: ctx.queueConnection, prefix: ctx.prefix });
    ctx.track(queue, queueClosable(queue, 'queue'));
    let runs = 0;
    const w = worker(async () => {
      runs++;
      throw new HfitError('TABLE_UNKNOWN', 'Table "orders" does not exist in source "shop"', { field: 'exports.orders.table' });
    });
    const job = await queue.add('build', {});
    await waitForEvent<[Job | undefined]>(w, 'failed', (j) => j?.id === job.id);

    const failed = await queue.getJob(job.id ?? '');
    expect(runs).to.equal(1);
    expect(failed?.attemptsMade).to.equal(1);
    expect(await failed?.getState()).to.equal('failed');
    expect(readJobFailure(failed?.failedReason)).to.deep.equal({
      code: 'TABLE_UNKNOWN',
      message: 'Table "orders" does not exist in source "shop"',
      field: 'exports.orders.table',
    });
  });
});

describe('queue: flows', () => {
  let ctx: QueueTestContext;
  beforeEach(() => {
    ctx = new QueueTestContext();
  });
  afterEach(async () => {
    await ctx.dispose();
  });

  it('completes the parent only after its 3 children, run by 2 workers, and gives it their results', async () => {
    const finishedAt: number[] = [];
    const childWorkers = ['export-a', 'export-b'].map((workerName) => {
      const w = createWorker<{ part: string }, string>(
        'hfit-export',
        async (job) => {
          await new Promise((r) => setTimeout(r, 300));
          finishedAt.push(Date.now());
          return `${job.data.part}@${workerName}`;
        },
        { connection: ctx.workerConnection, prefix: ctx.prefix, workerName },
      );
      return ctx.track(w, workerClosable(w));
    });
    let parentStartedAt = 0;
    const parentWorker = createWorker<null, Record<string, string>>(
      QUEUE,
      async (job) => {
        parentStartedAt = Date.now();
        return job.getChildrenValues<string>();
      },
      { connection: ctx.workerConnection, prefix: ctx.prefix, workerName: 'build' },
    );
    ctx.track(parentWorker, workerClosable(parentWorker));
    await Promise.all([...childWorkers, parentWorker].map((w) => w.waitUntilReady()));

    const flows = createFlowProducer({ connection: ctx.queueConnection, prefix: ctx.prefix });
    ctx.track(flows, queueClosable(flows, 'flow producer'));
    const tree = await flows.add({
      name: 'build',
      queueName: QUEUE,
      data: null,
      opts: { ...defaultJobOptions },
      children: ['a', 'b', 'c'].map((part) => ({ name: 'export', queueName: 'hfit-export', data: { part }, opts: { ...defaultJobOptions } })),
    });
    const [parent] = await waitForEvent<[Job]>(parentWorker, 'completed', (j) => j.id === tree.job.id);

    const values = Object.values(parent.returnvalue as Record<string, string>).sort();
    expect(values.map((v) => v.split('@')[0])).to.deep.equal(['a', 'b', 'c']);
    expect(new Set(values.map((v) => v.split('@')[1]))).to.deep.equal(new Set(['export-a', 'export-b']));
    expect(finishedAt).to.have.length(3);
    expect(parentStartedAt).to.be.at.least(Math.max(...finishedAt));
  });
});

describe('queue: stalled job recovery', () => {
  let ctx: QueueTestContext;
  beforeEach(() => {
    ctx = new QueueTestContext();
  });
  afterEach(async () => {
    await ctx.dispose();
  });

  it('re-runs the job of a SIGKILLed worker process on another worker, and completes it once', async () => {
    const settings = { lockDuration: 2_000, stalledInterval: 1_000 };
    const queue = createQueue(QUEUE, { connection: ctx.queueConnection, prefix: ctx.prefix });
    ctx.track(queue, queueClosable(queue, 'queue'));
    const child = fork(
      fileURLToPath(new URL('./testing/stalled-worker-main.js', import.meta.url)),
      [JSON.stringify({ url: TEST_REDIS_URL, prefix: ctx.prefix, queue: QUEUE, ...settings })],
      { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    try {
      const job = await queue.add('build', { n: 1 });
      const [started] = await waitForEvent<[{ type: string; jobId?: string }]>(child, 'message', (m) => m.type === 'started');
      expect(started.jobId).to.equal(job.id);
      const exited = waitForEvent(child, 'exit');
      child.kill('SIGKILL');
      await exited;

      let runs = 0;
      const rescuer = createWorker(
        QUEUE,
        async () => {
          runs++;
          return 'rescued';
        },
        { connection: ctx.workerConnection, prefix: ctx.prefix, workerName: 'rescuer', ...settings },
      );
      ctx.track(rescuer, workerClosable(rescuer));
      const completions: string[] = [];
      rescuer.on('completed', (j) => completions.push(j.id ?? ''));
      await waitForEvent<[Job]>(rescuer, 'completed', (j) => j.id === job.id, 15_000);

      const done = await queue.getJob(job.id ?? '');
      expect(runs).to.equal(1);
      expect(done?.attemptsStarted, 'started by the killed worker and by the rescuer').to.equal(2);
      expect(done?.stalledCounter).to.equal(1);
      expect(done?.returnvalue).to.equal('rescued');
      expect(done?.processedBy).to.equal('rescuer');
      expect(completions).to.deep.equal([job.id]);
      expect(await queue.getCompletedCount()).to.equal(1);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
