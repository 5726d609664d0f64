import { SwitchablePolicyResolver } from '@hfit/access/testing';
import { createPlatformFixture, waitForFinalBuild, type PlatformFixture } from '@hfit/builds/testing';
import type { AccessPolicy, AuditInput, AuditSink, CreateBuildRequest, GrantInput } from '@hfit/contracts';
import { createLogger } from '@hfit/logger';
import { expect } from 'chai';
import { startWorker, type StartedWorker } from './start-worker.js';
import { buildJobSettled } from './testing/build-probes.js';

const quiet = createLogger({ name: 'test', level: 'silent' });

/** Keeps what the worker audits. */
class Audited implements AuditSink {
  readonly events: AuditInput[] = [];
  record(event: AuditInput): Promise<void> {
    this.events.push(event);
    return Promise.resolve();
  }
}

/** Answers from a {@link SwitchablePolicyResolver}, and runs `onAsk(n)` before the n-th question (1-based). */
class ScriptedResolver extends SwitchablePolicyResolver {
  private count = 0;
  onAsk: ((n: number) => void) | undefined;
  override policyFor(user: string): Promise<AccessPolicy | undefined> {
    this.onAsk?.(++this.count);
    return super.policyFor(user);
  }
}

function request(template: string, args: string[] = ['7']): CreateBuildRequest {
  return { template, args, namedArgs: {}, options: { format: 'tar.gz', consistency: 'source' } };
}

describe('worker: the owner\'s access is asked again at run time', function () {
  this.timeout(120_000);
  let fx: PlatformFixture;
  let worker: StartedWorker | undefined;
  let policies: ScriptedResolver;
  let audit: Audited;
  /** What the sample template reads (alice submits with her config role; the worker asks `policies`). */
  let full: GrantInput;

  beforeEach(async () => {
    fx = await createPlatformFixture({ orders: 12 });
    full = {
      actions: ['build', 'download'],
      tables: [`shop_mysql/${fx.my.name}/*`, 'shop_pg/app/events'],
      volumes: ['invoices:invoice_*.txt', 'invoices:att_*'],
      packages: ['order_*'],
    };
    policies = new ScriptedResolver({ alice: full });
    audit = new Audited();
  });
  afterEach(async () => {
    await worker?.close(5_000);
    worker = undefined;
    await fx?.dispose();
  });

  const start = async () => {
    worker = await startWorker(fx.config, quiet, { name: 'w-acl', maintenance: false, policies, audit });
  };

  /** Objects under `prefix` in the fixture's storage. */
  async function keys(prefix: string): Promise<string[]> {
    const out: string[] = [];
    for await (const o of fx.objects.list(prefix)) out.push(o.key);
    return out;
  }

  /** Submits as alice, waits for the end; the build must fail with FORBIDDEN and leave nothing. */
  async function expectForbidden(id: string, mention: string): Promise<void> {
    const done = await waitForFinalBuild(fx.service, id);
    expect(await buildJobSettled(fx, id)).to.equal('failed');
    expect(done.state).to.equal('failed');
    expect(done.error?.code, JSON.stringify(done.error)).to.equal('FORBIDDEN');
    expect(done.error?.message).to.contain(mention);
    expect(done.artifact).to.equal(undefined);
    expect((await keys('packages/')).filter((k) => k.includes(id))).to.deep.equal([]);
    expect(await keys(`staging/${id}/`)).to.deep.equal([]);
    expect(await fx.store.activeIds('alice')).to.deep.equal([]);
    const finish = audit.events.filter((e) => e.action === 'build.finish' && e.buildId === id);
    expect(finish).to.have.length(1);
    expect(finish[0]).to.include({ outcome: 'failure', code: 'FORBIDDEN', owner: 'alice', actor: 'system', via: 'system' });
  }

  it('builds with the grant it needs, and audits build.finish with the sha256 and rows', async () => {
    await start();
    const { view } = await fx.service.submit({ user: 'alice' }, request(fx.template));
    const done = await waitForFinalBuild(fx.service, view.id);
    expect(done.state, JSON.stringify(done.error)).to.equal('succeeded');
    expect(policies.asked.get('alice')).to.be.at.least(3); // the plan, each export group, the assembly
    // The worker records the finish just after the final state is written, before the job completes.
    expect(await buildJobSettled(fx, view.id)).to.equal('completed');
    const [finish] = audit.events.filter((e) => e.action === 'build.finish');
    expect(finish).to.deep.include({ outcome: 'success', buildId: view.id, owner: 'alice', sha256: done.artifact!.sha256, bytes: done.artifact!.size, rows: done.progress.rows, target: 'order_7' });
    expect(finish!.rows).to.be.above(0);
  });

  it('fails a build whose owner was removed after the submit: FORBIDDEN, nothing published', async () => {
    const { view } = await fx.service.submit({ user: 'alice' }, request(fx.template));
    policies.remove('alice');
    await start();
    await expectForbidden(view.id, 'no longer exists');
  });

  it('fails a build whose owner lost the build action after the submit', async () => {
    const { view } = await fx.service.submit({ user: 'alice' }, request(fx.template));
    policies.grant('alice', { ...full, actions: ['download'] });
    await start();
    await expectForbidden(view.id, '"build" action');
  });

  it('stops a build when a table grant is revoked after the plan, before the export reads it', async () => {
    // The first question is the plan's; from the second on (the export jobs) customers is no longer granted.
    policies.onAsk = (n) => {
      if (n === 2) policies.grant('alice', { ...full, tables: [`shop_mysql/${fx.my.name}/orders`, 'shop_pg/app/events'] });
    };
    await start();
    const { view } = await fx.service.submit({ user: 'alice' }, request(fx.template));
    await expectForbidden(view.id, `shop_mysql/${fx.my.name}/customers`);
  });

  it('checks tables named through prepare variables once they are known', async () => {
    const template = fx.template.replace(`table: ${fx.my.name}.customers`, `table: "${fx.my.name}.\${tbl}"`).replace(
      'prepare:\n',
      'prepare:\n  - setVar: tbl\n    from: input\n    source: $2\n',
    );
    policies.grant('alice', { ...full, tables: [`shop_mysql/${fx.my.name}/orders`, `shop_mysql/${fx.my.name}/customers`, 'shop_pg/app/events'] });
    await start();
    const ok = await fx.service.submit({ user: 'alice' }, request(template, ['7', 'customers']));
    expect((await waitForFinalBuild(fx.service, ok.view.id)).state).to.equal('succeeded');
    // The submit cannot know which table ${tbl} names; the worker does once prepare ran, and refuses an ungranted one.
    await fx.my.exec('CREATE TABLE secrets (id INT PRIMARY KEY, customer_id INT, s TEXT); INSERT INTO secrets VALUES (1, 8, \'top\')');
    const { view } = await fx.service.submit({ user: 'alice' }, request(template.replace('filter: "id = ${customerId}"', 'filter: "customer_id = ${customerId}"'), ['7', 'secrets']));
    await expectForbidden(view.id, `shop_mysql/${fx.my.name}/secrets`);
  });

  it('refuses a files glob that matches a file the grant does not cover, instead of leaving it out', async () => {
    policies.grant('alice', { ...full, volumes: ['invoices:invoice_*.txt', 'invoices:att_*_1.txt'] });
    await start();
    const { view } = await fx.service.submit({ user: 'alice' }, request(fx.template));
    await expectForbidden(view.id, 'invoices:att_7_2.txt');
  });

  it('checks every table of a dbcreate database, and the tables a prepare query reads', async () => {
    await fx.my.exec('CREATE TABLE hidden (id INT PRIMARY KEY)');
    policies.grant('alice', { ...full, tables: [`shop_mysql/${fx.my.name}/orders`, `shop_mysql/${fx.my.name}/customers`, 'shop_pg/app/events'] });
    await start();
    const { view } = await fx.service.submit({ user: 'alice' }, request(fx.template));
    await expectForbidden(view.id, `shop_mysql/${fx.my.name}/hidden`);
    // Without the dbcreate, the prepare query's table is the one refused.
    const noDdl = fx.template.replace(/^ {2}shop\.schema\.sql:.*\n/m, '');
    policies.grant('alice', { ...full, tables: [`shop_mysql/${fx.my.name}/customers`, 'shop_pg/app/events'] });
    const { view: second } = await fx.service.submit({ user: 'alice', policy: fx.callerOf('alice').policy }, request(noDdl));
    audit.events.length = 0;
    await expectForbidden(second.id, `shop_mysql/${fx.my.name}/orders`);
  });
});

describe('worker: a user\'s builds queued or running, capped', function () {
  this.timeout(120_000);
  let fx: PlatformFixture;
  let worker: StartedWorker | undefined;

  beforeEach(async () => {
    fx = await createPlatformFixture({ orders: 5, maxConcurrentBuildsPerUser: 1 });
  });
  afterEach(async () => {
    await worker?.close(5_000);
    worker = undefined;
    await fx?.dispose();
  });

  it('cap 1: a second submit is refused while the first is queued, and taken once a worker finished it', async () => {
    const first = await fx.service.submit({ user: 'alice' }, request(fx.template, ['2']));
    const refused = await fx.service.submit({ user: 'alice' }, request(fx.template, ['3'])).then(
      () => expect.fail('should refuse'),
      (e: { code: string; message: string }) => e,
    );
    expect(refused.code).to.equal('BUILD_LIMIT_REACHED');
    expect(refused.message).to.contain('1 build queued or running').and.to.contain('= 1');
    worker = await startWorker(fx.config, quiet, { name: 'w-cap', maintenance: false });
    expect((await waitForFinalBuild(fx.service, first.view.id)).state).to.equal('succeeded');
    expect(await fx.store.activeIds('alice')).to.deep.equal([]);
    const next = await fx.service.submit({ user: 'alice' }, request(fx.template, ['3']));
    expect((await waitForFinalBuild(fx.service, next.view.id)).state).to.equal('succeeded');
  });
});
