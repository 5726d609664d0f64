import type { Job } from 'bullmq';
import { expect } from 'chai';
import type { Closable } from './closable.js';
import { queueClosable, workerClosable } from './closable.js';
import { closeAll } from './close-all.js';
import { createQueue } from './create-queue.js';
import { createWorker } from './create-worker.js';
import { QueueTestContext } from './testing/queue-test-context.js';
import { waitForEvent } from './testing/wait-for-event.js';

function step(name: string, log: string[], behaviour: 'ok' | 'fail' | 'hang', force?: 'ok' | 'fail'): Closable {
  return {
    name,
    close: () => {
      log.push(`close ${name}`);
      if (behaviour === 'fail') return Promise.reject(new Error(`${name} broke`));
      if (behaviour === 'hang') return new Promise<void>(() => undefined);
      return Promise.resolve();
    },
    ...(force === undefined
      ? {}
      : {
          forceClose: () => {
            log.push(`force ${name}`);
            return force === 'ok' ? Promise.resolve() : Promise.reject(new Error(`${name} force broke`));
          },
        }),
  };
}

describe('closeAll', () => {
  it('runs every step even when some fail, and reports each failure by name', async () => {
    const log: string[] = [];
    const report = await closeAll([step('a', log, 'fail', 'ok'), step('b', log, 'ok'), step('c', log, 'fail')], { timeoutMs: 1_000 });
    expect(log).to.deep.equal(['close a', 'close b', 'close c', 'force a', 'close c']);
    expect(report.ok).to.equal(false);
    expect(report.steps.map((s) => [s.name, s.outcome, s.forced])).to.deep.equal([
      ['a', 'failed', 'closed'],
      ['b', 'closed', undefined],
      ['c', 'failed', 'failed'],
    ]);
    expect(report.problems).to.deep.equal(['a: failed: a broke; forced closed', 'c: failed: c broke; forcing failed: c broke']);
  });

  it('returns within its budget when a step hangs forever, names it, and forces it and the steps after it', async () => {
    const log: string[] = [];
    const started = Date.now();
    const report = await closeAll(
      [step('worker', log, 'ok'), step('stuck worker', log, 'hang', 'ok'), step('queue', log, 'ok'), step('forever', log, 'hang')],
      { timeoutMs: 300, forceTimeoutMs: 200 },
    );
    const elapsed = Date.now() - started;
    expect(elapsed).to.be.below(300 + 200 + 150);
    expect(report.steps.map((s) => [s.name, s.outcome, s.forced])).to.deep.equal([
      ['worker', 'closed', undefined],
      ['stuck worker', 'timed-out', 'closed'],
      ['queue', 'not-started', 'closed'],
      ['forever', 'not-started', 'timed-out'],
    ]);
    expect(report.problems[0]).to.equal('stuck worker: timed out (overall shutdown budget 300 ms); forced closed');
    expect(report.problems[2]).to.equal('forever: not started (overall shutdown budget exhausted); forcing timed out (200 ms)');
  });

  describe('with a real worker whose job never finishes', () => {
    let ctx: QueueTestContext;
    beforeEach(() => {
      ctx = new QueueTestContext();
    });
    afterEach(async () => {
      await ctx.dispose();
    });

    it('times out the graceful worker.close() and force-disconnects the worker', async () => {
      const queue = createQueue('hfit-build', { connection: ctx.queueConnection, prefix: ctx.prefix });
      ctx.track(queue, queueClosable(queue, 'queue'));
      const worker = createWorker('hfit-build', () => new Promise<never>(() => undefined), {
        connection: ctx.workerConnection,
        prefix: ctx.prefix,
      });
      const active = waitForEvent<[Job]>(worker, 'active');
      await queue.add('build', null);
      await active;

      const started = Date.now();
      const report = await closeAll([workerClosable(worker)], { timeoutMs: 300, forceTimeoutMs: 1_000 });
      expect(Date.now() - started).to.be.below(1_300 + 200);
      expect(report.steps).to.have.length(1);
      expect(report.steps[0]).to.include({ name: 'worker hfit-build', outcome: 'timed-out', forced: 'closed' });
    });
  });
});
