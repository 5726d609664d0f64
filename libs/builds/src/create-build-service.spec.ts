import { QUEUE_NAMES, type CreateBuildRequest } from '@hfit/contracts';
import { rejectedHfitError } from '@hfit/contracts/testing';
import { UnrecoverableError, Worker } from 'bullmq';
import { expect } from 'chai';
import { createPlatformFixture, type PlatformFixture } from './testing/platform-fixture.js';

const alice = { user: 'alice' };

function request(template: string, args: string[] = ['7'], extra: Partial<CreateBuildRequest> = {}): CreateBuildRequest {
  return { template, args, namedArgs: {}, options: { format: 'tar.gz', consistency: 'source' }, ...extra };
}

describe('createBuildService (real Redis, MariaDB, PostgreSQL; no worker)', function () {
  this.timeout(60_000);
  let fx: PlatformFixture;

  beforeEach(async () => {
    fx = await createPlatformFixture({ orders: 20, users: { bob: ['tester'] } });
  });
  afterEach(async () => {
    await fx?.dispose();
  });

  async function nothingQueued(): Promise<void> {
    const counts = await fx.buildQueue.getJobCounts();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).to.equal(0);
    expect(await fx.store.page({ kind: 'all' }, 10)).to.deep.equal([]);
  }

  describe('validation before anything is queued', () => {
    it('rejects YAML that does not parse', async () => {
      const err = await rejectedHfitError(fx.service.submit(alice, request('hfitVersion: 1\nexports: [')));
      expect(err.code).to.equal('TEMPLATE_YAML');
      await nothingQueued();
    });

    it('lists every unknown source, table and volume with its field and line', async () => {
      const text = fx.template
        .replace(`table: ${fx.my.name}.customers`, `table: ${fx.my.name}.customerz`)
        .replace('dbms: shop_pg, table: app.events', 'dbms: nowhere, table: app.events')
        .replace('volume: invoices, path', 'volume: scans, path');
      const err = await rejectedHfitError(fx.service.submit(alice, request(text)));
      expect(err.code).to.equal('TEMPLATE_INVALID');
      const byField = Object.fromEntries(err.details.map((d) => [d.field, d]));
      expect(Object.keys(byField).sort()).to.deep.equal([
        'exports.customers.data.sql.data.table',
        'exports.events.data.sql.data.dbms',
        'exports.invoice.txt.data.volume',
      ]);
      expect(byField['exports.customers.data.sql.data.table']!.message).to.match(/no table "customerz".*known: customers/);
      expect(byField['exports.events.data.sql.data.dbms']!.message).to.match(/nowhere/);
      for (const d of err.details) expect(d.line, d.field).to.be.a('number');
      await nothingQueued();
    });

    it('answers one problem with its own code', async () => {
      const text = fx.template.replace('tablelist: [app.events]', 'tablelist: [app.evnts]');
      const err = await rejectedHfitError(fx.service.submit(alice, request(text)));
      expect(err.code).to.equal('TABLE_UNKNOWN');
      expect(err.field).to.equal('exports.events.create.sql.data.tablelist[0]');
      await nothingQueued();
    });

    it('rejects a filter that names an unknown column or is not allowed, before queueing', async () => {
      const unknown = fx.template.replace('filter: "customer_id = ${customerId}"', 'filter: "custmer_id = ${customerId}"');
      const err = await rejectedHfitError(fx.service.submit(alice, request(unknown)));
      expect(err.code).to.equal('COLUMN_UNKNOWN');
      expect(err.field).to.equal('exports.orders.data.sql.data.filter');
      const evil = fx.template.replace('filter: "customer_id = ${customerId}"', 'filter: "customer_id = ${customerId} OR sleep(5) = 0"');
      expect((await rejectedHfitError(fx.service.submit(alice, request(evil)))).code).to.equal('FILTER_REJECTED');
      const withInput = fx.template.replace('filter: "order_id = ${orderId}"', 'filter: "order_id = $1"');
      expect((await fx.service.validate(alice, request(withInput))).valid).to.equal(true);
      await nothingQueued();
    });

    it('rejects a missing argument, naming the variable', async () => {
      const err = await rejectedHfitError(fx.service.submit(alice, request(fx.template, [])));
      expect(err.code).to.equal('INPUT_OUT_OF_RANGE');
      expect(err.message).to.match(/needs \$1 \(orderId\)/);
      await nothingQueued();
    });

    it('rejects format copy on a MySQL source', async () => {
      const err = await rejectedHfitError(fx.service.submit(alice, request(fx.template, ['7'], { options: { format: 'tar.gz', consistency: 'source', rowFormat: 'copy' } })));
      expect(err.code).to.equal('TEMPLATE_INVALID');
      expect(err.details.map((d) => d.field)).to.include('exports.orders.data.sql.data.format');
      await nothingQueued();
    });

    it('places named arguments on their $N, and refuses unknown names', async () => {
      const { view } = await fx.service.submit(alice, request(fx.template, [], { namedArgs: { orderId: '9' } }));
      expect((await fx.store.get(view.id))!.inputs).to.deep.equal(['9']);
      const err = await rejectedHfitError(fx.service.submit(alice, request(fx.template, [], { namedArgs: { order: '9' } })));
      expect(err.code).to.equal('REQUEST_INVALID');
      expect(err.message).to.match(/use one of orderId/);
    });
  });

  describe('validate', () => {
    it('answers what a submit would build, and the same problems, without queueing anything', async () => {
      const ok = await fx.service.validate(alice, request(fx.template, [], { namedArgs: { orderId: '3' } }));
      expect(ok).to.deep.include({ valid: true, templateName: 'order_incident', requiredInputs: 1, inputs: ['3'] });
      expect(ok.exports.map((e) => e.key)).to.include.members(['orders.data.sql', 'invoice.txt', 'attachments']);
      const err = await rejectedHfitError(fx.service.validate(alice, request(fx.template.replace('tablelist: [app.events]', 'tablelist: [app.evnts]'))));
      expect(err.code).to.equal('TABLE_UNKNOWN');
      await nothingQueued();
    });
  });

  describe('submit, idempotency, list, cancel', () => {
    it('queues one build job per build, with the build id as job id', async () => {
      const { view, created } = await fx.service.submit(alice, request(fx.template));
      expect(created).to.equal(true);
      expect(view).to.include({ state: 'queued', templateName: 'order_incident', owner: 'alice' });
      expect(view.links).to.deep.equal({ self: `/v1/builds/${view.id}`, cancel: `/v1/builds/${view.id}/cancel` });
      const job = await fx.buildQueue.getJob(view.id);
      expect(job?.data).to.deep.equal({ buildId: view.id });
      expect(job?.queueName).to.equal(QUEUE_NAMES.build);
    });

    it('gives the same build for the same Idempotency-Key and request, and a conflict for another request', async () => {
      const a = await fx.service.submit(alice, request(fx.template), { idempotencyKey: 'ci-run-1' });
      const b = await fx.service.submit(alice, request(fx.template), { idempotencyKey: 'ci-run-1' });
      expect(b.created).to.equal(false);
      expect(b.view.id).to.equal(a.view.id);
      const err = await rejectedHfitError(fx.service.submit(alice, request(fx.template, ['8']), { idempotencyKey: 'ci-run-1' }));
      expect(err.code).to.equal('IDEMPOTENCY_CONFLICT');
      // Keys are per user: another user's same key is another build.
      const c = await fx.service.submit({ user: 'bob' }, request(fx.template), { idempotencyKey: 'ci-run-1' });
      expect(c.view.id).to.not.equal(a.view.id);
      expect(await fx.buildQueue.count()).to.equal(2);
    });

    it('lists newest first, filters by template and state, and pages with a cursor', async () => {
      const ids: string[] = [];
      for (const arg of ['1', '2', '3', '4', '5']) ids.push((await fx.service.submit(alice, request(fx.template, [arg]))).view.id);
      await fx.service.cancel(alice, ids[1]!);
      const page1 = await fx.service.list(alice, { limit: 2 });
      expect(page1.items.map((i) => i.id)).to.deep.equal([ids[4], ids[3]]);
      const page2 = await fx.service.list(alice, { limit: 2, cursor: page1.nextCursor! });
      expect(page2.items.map((i) => i.id)).to.deep.equal([ids[2], ids[1]]);
      const page3 = await fx.service.list(alice, { limit: 2, cursor: page2.nextCursor! });
      expect(page3.items.map((i) => i.id)).to.deep.equal([ids[0]]);
      expect(page3.nextCursor).to.equal(undefined);
      const cancelled = await fx.service.list(alice, { limit: 10, state: 'cancelled' });
      expect(cancelled.items.map((i) => i.id)).to.deep.equal([ids[1]]);
      expect((await fx.service.list(alice, { limit: 10, template: 'order_incident' })).items).to.have.length(5);
      expect((await fx.service.list(alice, { limit: 10, template: 'other' })).items).to.have.length(0);
      expect((await rejectedHfitError(fx.service.list(alice, { limit: 10, cursor: 'x' }))).code).to.equal('REQUEST_INVALID');
    });

    it('cancels a queued build at once, removes its job, and refuses to cancel a finished one', async () => {
      const { view } = await fx.service.submit(alice, request(fx.template));
      const cancelled = await fx.service.cancel(alice, view.id);
      expect(cancelled.state).to.equal('cancelled');
      expect(cancelled.error?.code).to.equal('BUILD_CANCELLED');
      expect(await fx.buildQueue.getJob(view.id)).to.equal(undefined);
      expect((await fx.service.cancel(alice, view.id)).state).to.equal('cancelled');
      const other = await fx.service.submit(alice, request(fx.template));
      await fx.store.update(other.view.id, (r) => ({ ...r, state: 'failed', finishedAt: new Date().toISOString() }));
      expect((await rejectedHfitError(fx.service.cancel(alice, other.view.id))).code).to.equal('BUILD_FINISHED');
    });

    it('answers BUILD_NOT_FOUND for unknown or malformed ids and BUILD_NOT_FINISHED for a queued artifact', async () => {
      expect((await rejectedHfitError(fx.service.get(alice, '0000000000000000000000000'))).code).to.equal('BUILD_NOT_FOUND');
      expect((await rejectedHfitError(fx.service.get(alice, '../../etc'))).code).to.equal('BUILD_NOT_FOUND');
      const { view } = await fx.service.submit(alice, request(fx.template));
      expect((await rejectedHfitError(fx.service.openArtifact(alice, view.id))).code).to.equal('BUILD_NOT_FINISHED');
      expect((await rejectedHfitError(fx.service.latest(alice, 'order_7'))).code).to.equal('PACKAGE_NOT_FOUND');
    });

    it('marks a build failed when its job failed inside BullMQ without a processor recording it', async () => {
      const { view } = await fx.service.submit(alice, request(fx.template));
      // A plain BullMQ worker (not hfit's runner) failing the job, as BullMQ itself does with a job
      // that stalled more than maxStalledCount times: the record is not told.
      const connection = fx.redis.duplicate({ maxRetriesPerRequest: null });
      const worker = new Worker(
        QUEUE_NAMES.build,
        async () => {
          throw new UnrecoverableError('job stalled more than allowable limit');
        },
        { connection, prefix: fx.prefix },
      );
      try {
        await new Promise<void>((resolve) => worker.once('failed', () => resolve()));
      } finally {
        await worker.close();
        await connection.quit();
      }
      expect((await fx.store.get(view.id))!.state).to.equal('queued');
      const seen = await fx.service.get(alice, view.id);
      expect(seen.state).to.equal('failed');
      expect(seen.error).to.deep.equal({ code: 'JOB_FAILED', message: 'job stalled more than allowable limit' });
    });
  });
});
