import { policyOf } from '@hfit/access';
import { GrantSchema, type CreateBuildRequest, type GrantInput, type HfitError } from '@hfit/contracts';
import { rejectedHfitError } from '@hfit/contracts/testing';
import { expect } from 'chai';
import type { Caller } from './build-service.js';
import { createBuildService } from './create-build-service.js';
import { createPlatformFixture, type PlatformFixture } from './testing/platform-fixture.js';

function request(template: string, args: string[] = ['7']): CreateBuildRequest {
  return { template, args, namedArgs: {}, options: { format: 'tar.gz', consistency: 'source' } };
}

/** A caller with exactly `grant`. */
function as(user: string, grant: GrantInput): Caller {
  return { user, policy: policyOf(user, [], [GrantSchema.parse(grant)], {}) };
}

/** What the sample template needs: every table, file and the package it names. */
const SAMPLE_GRANT = {
  actions: ['build', 'download'],
  tables: ['shop_mysql/*/*', 'shop_pg/app/events'],
  volumes: ['invoices:invoice_*.txt', 'invoices:att_*'],
  packages: ['order_*'],
} as const satisfies GrantInput;

describe('build service: access (real Redis, MariaDB, PostgreSQL; no worker)', function () {
  this.timeout(60_000);
  let fx: PlatformFixture;

  beforeEach(async () => {
    fx = await createPlatformFixture({ orders: 10 });
  });
  afterEach(async () => {
    await fx?.dispose();
  });

  async function nothingQueued(): Promise<void> {
    expect(await fx.buildQueue.count()).to.equal(0);
    expect(await fx.store.page({ kind: 'all' }, 10)).to.deep.equal([]);
  }

  describe('submit and validate', () => {
    it('accepts the sample template with a grant naming exactly what it reads', async () => {
      const { view } = await fx.service.submit(as('bob', SAMPLE_GRANT), request(fx.template));
      expect(view).to.include({ owner: 'bob', state: 'queued' });
    });

    it('needs the build action', async () => {
      const err = await rejectedHfitError(fx.service.submit(as('bob', { ...SAMPLE_GRANT, actions: ['download'] }), request(fx.template)));
      expect(err.code).to.equal('FORBIDDEN');
      expect(err.message).to.contain('"build" action');
      expect((await rejectedHfitError(fx.service.validate(as('bob', { ...SAMPLE_GRANT, actions: [] }), request(fx.template)))).code).to.equal('FORBIDDEN');
      await nothingQueued();
    });

    it('needs the package name when the template gives it without prepare variables', async () => {
      const err = await rejectedHfitError(fx.service.submit(as('bob', { ...SAMPLE_GRANT, packages: ['invoice_*'] }), request(fx.template)));
      expect(err.code).to.equal('FORBIDDEN');
      expect(err.field).to.equal('packageName');
      expect(err.message).to.contain('"order_7"');
      await nothingQueued();
    });

    it('lists every literal table, database and volume the grant does not cover, with field and line', async () => {
      const narrow = as('bob', { ...SAMPLE_GRANT, tables: [`shop_mysql/${fx.my.name}/orders`], volumes: ['invoices:att_*'] });
      const noVolume = await rejectedHfitError(fx.service.submit(as('bob', { ...SAMPLE_GRANT, volumes: ['scans:**'] }), request(fx.template)));
      expect(noVolume.details.map((d) => d.field).sort()).to.deep.equal(['exports.attachments.data.volume', 'exports.invoice.txt.data.volume']);
      const noDb = await rejectedHfitError(fx.service.submit(as('bob', { ...SAMPLE_GRANT, tables: ['shop_mysql/elsewhere/*', 'shop_pg/app/events'] }), request(fx.template)));
      expect(noDb.details.map((d) => d.field)).to.include('exports.shop.schema.sql.data.tablelist[0]');
      const err = await rejectedHfitError(fx.service.submit(narrow, request(fx.template)));
      expect(err.code).to.equal('FORBIDDEN');
      const fields = err.details.map((d) => d.field).sort();
      // The dbcreate database holds a granted table and the invoice path depends on a variable: the
      // worker checks each table of the database, and the file, when it knows them.
      expect(fields).to.deep.equal(['exports.customers.data.sql.data.table', 'exports.events.create.sql.data.tablelist[0]', 'exports.events.data.sql.data.table']);
      for (const d of err.details) expect(d.line, d.field).to.be.a('number');
      expect(err.details.map((d) => d.message).join('\n')).to.contain(`shop_mysql/${fx.my.name}/customers`).and.to.contain('shop_pg/app/events');
      await nothingQueued();
    });

    it('checks a literal file path against the volume grant', async () => {
      const escaping = fx.template.replace('path: "invoice_${orderId}.txt"', 'path: "./private/../invoice_7.txt"');
      const literal = fx.template.replace('path: "invoice_${orderId}.txt"', 'path: "secret/report.txt"');
      const err = await rejectedHfitError(fx.service.submit(as('bob', SAMPLE_GRANT), request(literal)));
      expect(err.code).to.equal('FORBIDDEN');
      expect(err.field).to.equal('exports.invoice.txt.data.path');
      expect(err.message).to.contain('invoices:secret/report.txt');
      // A path the volume layer refuses is not an access question here: the worker refuses it (PATH_ESCAPE).
      expect((await fx.service.submit(as('bob', SAMPLE_GRANT), request(escaping))).view.state).to.equal('queued');
    });

    it('checks the tables a prepare query reads, and refuses a query whose tables cannot be known', async () => {
      const other = fx.template.replace(`FROM ${fx.my.name}.orders WHERE`, `FROM ${fx.my.name}.orders o JOIN ${fx.my.name}.secrets s ON s.id = o.id WHERE`);
      const ordersOnly = as('bob', { ...SAMPLE_GRANT, tables: [`shop_mysql/*/orders`, `shop_mysql/*/customers`, 'shop_pg/app/events'] });
      const err = await rejectedHfitError(fx.service.validate(ordersOnly, request(other)));
      expect(err.code).to.equal('FORBIDDEN');
      expect(err.field).to.equal('prepare[1].hdata.query');
      expect(err.message).to.contain(`shop_mysql/${fx.my.name}/secrets`);
      const unqualified = fx.template.replace(`FROM ${fx.my.name}.orders WHERE`, 'FROM orders WHERE');
      const vague = await rejectedHfitError(fx.service.validate(as('bob', SAMPLE_GRANT), request(unqualified)));
      expect(vague.code).to.equal('FORBIDDEN');
      expect(vague.message).to.contain('cannot be determined').and.to.contain('database.table');
      const sneaky = fx.template.replace(`SELECT customer_id FROM ${fx.my.name}.orders`, `SELECT LOAD_FILE('/etc/passwd') FROM ${fx.my.name}.orders`);
      expect((await rejectedHfitError(fx.service.validate(as('bob', SAMPLE_GRANT), request(sneaky)))).message).to.contain('load_file');
      await nothingQueued();
    });
  });

  describe('visibility of builds', () => {
    it('hides another user\'s build exactly like a build that does not exist', async () => {
      const alice = fx.callerOf('alice');
      const { view } = await fx.service.submit(alice, request(fx.template));
      const bob = as('bob', { actions: ['build', 'download', 'browse'], tables: ['**'], volumes: ['**'], packages: ['**'] });
      const missing = await rejectedHfitError(fx.service.get(bob, '0000000000000000000000000'));
      for (const call of [
        () => fx.service.get(bob, view.id),
        () => fx.service.cancel(bob, view.id),
        () => fx.service.openArtifact(bob, view.id),
      ]) {
        const err = await rejectedHfitError(call());
        expect(err.code).to.equal('BUILD_NOT_FOUND');
        expect(err.message).to.equal(missing.message.replace('0000000000000000000000000', view.id));
      }
      expect((await fx.service.list(bob, { limit: 10 })).items).to.deep.equal([]);
      expect((await fx.service.list(alice, { limit: 10 })).items.map((i) => i.id)).to.deep.equal([view.id]);
      // Still queued: the cancel above did nothing.
      expect((await fx.store.get(view.id))!.state).to.equal('queued');
    });

    it('shows builds of the users in the builds grant; download needs its action; cancel needs admin', async () => {
      const { view } = await fx.service.submit(fx.callerOf('alice'), request(fx.template));
      await fx.store.update(view.id, (r) => ({ ...r, state: 'succeeded', packageName: 'order_7', finishedAt: new Date().toISOString(), artifact: { name: 'order_7.tar.gz', size: 4, sha256: 'a'.repeat(64), format: 'tar.gz', key: 'packages/order_7/x.tar.gz' } }));
      const watcher = as('bob', { actions: ['build'], builds: ['ali*'] });
      expect((await fx.service.get(watcher, view.id)).owner).to.equal('alice');
      expect((await fx.service.list(watcher, { limit: 10 })).items.map((i) => i.id)).to.deep.equal([view.id]);
      expect((await fx.service.latest(watcher, 'order_7')).id).to.equal(view.id);
      expect((await rejectedHfitError(fx.service.latest(as('bob', { actions: ['build'] }), 'order_7'))).code).to.equal('PACKAGE_NOT_FOUND');
      const noDownload = await rejectedHfitError(fx.service.openArtifact(watcher, view.id));
      expect(noDownload.code).to.equal('FORBIDDEN');
      expect(noDownload.message).to.contain('"download" action');
      const { view: queued } = await fx.service.submit(fx.callerOf('alice'), request(fx.template, ['8']));
      const cancel = await rejectedHfitError(fx.service.cancel(watcher, queued.id));
      expect(cancel.code).to.equal('FORBIDDEN');
      expect(cancel.message).to.contain('"admin" action');
      const admin = as('root', { actions: ['admin'], builds: ['**'] });
      expect((await fx.service.cancel(admin, queued.id)).state).to.equal('cancelled');
      // Own builds: the build action.
      const { view: own } = await fx.service.submit(as('bob', SAMPLE_GRANT), request(fx.template));
      expect((await rejectedHfitError(fx.service.cancel(as('bob', { actions: [] }), own.id))).message).to.contain('"build" action');
      expect((await fx.service.cancel(as('bob', SAMPLE_GRANT), own.id)).state).to.equal('cancelled');
    });
  });

  describe('builds queued or running per user', () => {
    it('refuses a submit over the cap atomically, names the cap and the count, and frees a place when a build ends', async () => {
      const capped = createBuildService({ store: fx.store, objects: fx.objects, engine: { sources: fx.config.sources, volumes: fx.config.volumes, batchSize: 100 }, buildQueue: fx.buildQueue, maxConcurrentBuildsPerUser: 2 });
      const alice = fx.callerOf('alice');
      // Submitted together: the count is checked and taken in one step, so exactly two get in.
      const results = await Promise.allSettled(['1', '2', '3', '4'].map((a) => capped.submit(alice, request(fx.template, [a]), { idempotencyKey: `k${a}` })));
      const ok = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ view: { id: string } }>).value.view.id);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as HfitError);
      expect(ok).to.have.length(2);
      expect(refused.map((e) => e.code)).to.deep.equal(['BUILD_LIMIT_REACHED', 'BUILD_LIMIT_REACHED']);
      expect(refused[0]!.message).to.contain('"alice" already has 2 builds queued or running').and.to.contain('maxConcurrentBuildsPerUser = 2');
      expect(await fx.store.activeIds('alice')).to.deep.equal([...ok].sort());
      // Other users have their own count.
      await capped.submit(fx.callerOf('ci-bot'), request(fx.template));
      // A cancelled (final) build gives its place back; a refused key can be used again.
      await capped.cancel(alice, ok[0]!);
      const refusedKey = ['1', '2', '3', '4'].find((_a, i) => results[i]!.status === 'rejected')!;
      const again = await capped.submit(alice, request(fx.template, [refusedKey]), { idempotencyKey: `k${refusedKey}` });
      expect(again.created).to.equal(true);
      expect((await rejectedHfitError(capped.submit(alice, request(fx.template, ['9'])))).code).to.equal('BUILD_LIMIT_REACHED');
      // Failed and succeeded builds give their places back too.
      await fx.store.update(ok[1]!, (r) => ({ ...r, state: 'failed', finishedAt: new Date().toISOString() }));
      await fx.store.update(again.view.id, (r) => ({ ...r, state: 'succeeded', finishedAt: new Date().toISOString() }));
      expect(await fx.store.activeIds('alice')).to.deep.equal([]);
      await capped.submit(alice, request(fx.template, ['9']));
    });

    it('has no cap at 0', async () => {
      const uncapped = createBuildService({ store: fx.store, objects: fx.objects, engine: { sources: fx.config.sources, volumes: fx.config.volumes, batchSize: 100 }, buildQueue: fx.buildQueue, maxConcurrentBuildsPerUser: 0 });
      for (const a of ['1', '2', '3', '4', '5', '6']) await uncapped.submit(fx.callerOf('alice'), request(fx.template, [a]));
      expect(await fx.store.activeIds('alice')).to.have.length(6);
    });
  });
});
