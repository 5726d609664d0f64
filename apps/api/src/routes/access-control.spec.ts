import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditEvent, GrantInput, Problem } from '@hfit/contracts';
import { TEST_SERVERS } from '@hfit/db/testing';
import { startTcpProxy, type TcpProxy } from '@hfit/contracts/testing';
import { expect } from 'chai';
import { createParkedFifo, type ParkedFifo } from '../testing/parked-fifo.js';
import { startPlatformApp, type PlatformApp } from '../testing/platform-app.js';

/**
 * Roles of the matrix. alice (and ci-bot) have the fixture's `tester` role: every action but
 * admin on everything, others' builds and templates hidden.
 */
const ROLES: Record<string, GrantInput> = {
  // Browses and reads the customers table and the invoices, nothing else; builds nothing.
  reader: { actions: ['browse', 'rows', 'files'], tables: ['shop_mysql/*/customers'], volumes: ['invoices:invoice_*.txt'] },
  // Builds the sample template (every table and file it reads, packages order_*).
  builder: { actions: ['build', 'download'], tables: ['shop_mysql/*/*', 'shop_pg/app/events'], volumes: ['invoices:invoice_*.txt', 'invoices:att_*'], packages: ['order_*'] },
  // May build, but is granted only the PostgreSQL table.
  narrow: { actions: ['build'], tables: ['shop_pg/app/events'], volumes: ['invoices:**'], packages: ['order_*'] },
  // Sees and downloads alice's builds, reads her templates.
  watcher: { actions: ['download'], builds: ['alice'], templates: ['alice'] },
  // Sees alice's builds, may not download them.
  peeker: { builds: ['alice'] },
};

const USERS = {
  bob: ['reader'],
  carol: ['builder'],
  dave: [],
  erin: ['watcher'],
  frank: ['builder', 'watcher'],
  gina: ['narrow'],
  hank: ['peeker'],
};

type User = keyof typeof USERS | 'alice';

describe('access control through the API (real MariaDB, PostgreSQL, volume, Redis)', function () {
  this.timeout(120_000);
  let p: PlatformApp;
  let my: string;
  let mysqlProxy: TcpProxy;
  let pgProxy: TcpProxy;
  let fifo: ParkedFifo;
  const parked = randomBytes(4096);

  const as = (user: User, url: string, init: RequestInit = {}) => p.app.fetch(url, { ...init, token: p.tokens[user]! });
  const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const submitBody = (template: string, args = ['7']) => ({ template, args });

  /** Connections both proxies accepted so far. */
  const connections = () => ({ mysql: mysqlProxy.accepted, pg: pgProxy.accepted });

  /** Runs `fn` and checks that no connection to either database was opened meanwhile. */
  async function untouched<T>(fn: () => Promise<T>): Promise<T> {
    const before = connections();
    const out = await fn();
    expect(connections(), 'connections opened to the databases').to.deep.equal(before);
    return out;
  }

  /** 403s answered so far (each must have its `access.denied` event). */
  let refusals = 0;

  /** A 403 FORBIDDEN problem whose detail names `mention` (a HEAD has no body); checks that it was audited. */
  async function denied(res: Response, mention: string, user: User): Promise<Problem> {
    expect(res.status, `${res.url}: ${res.status}`).to.equal(403);
    refusals++;
    const head = mention === '';
    const body = head ? ({ code: 'FORBIDDEN', detail: '' } as Problem) : ((await res.json()) as Problem);
    expect(body.code).to.equal('FORBIDDEN');
    expect(body.detail).to.contain(mention);
    const event = p.app.audit.of('access.denied').at(-1)!;
    expect(event).to.deep.include({ action: 'access.denied', outcome: 'denied', actor: user, via: 'static-token', code: 'FORBIDDEN' });
    expect(event.clientIp).to.be.a('string');
    expect(event.requestId).to.be.a('string');
    return body;
  }

  /**
   * The last event of `action`, waiting for it: a download or a rows stream is recorded once the
   * server saw the response through, which may be just after the client read its end.
   */
  async function audited(action: AuditEvent['action'], count: number): Promise<AuditEvent> {
    const deadline = Date.now() + 5_000;
    while (finished(action).length < count) {
      if (Date.now() > deadline) throw new Error(`no ${count}th ${action} event`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return finished(action).at(-1)!;
  }

  /** Events of `action` that close a request (a streamed answer is also recorded as `started` before its first byte). */
  function finished(action: AuditEvent['action']): AuditEvent[] {
    return p.app.audit.of(action).filter((e) => e.outcome !== 'started');
  }

  async function problem(res: Response, status: number, code: string): Promise<Problem> {
    expect(res.status, `${res.url}`).to.equal(status);
    const body = (await res.json()) as Problem;
    expect(body.code).to.equal(code);
    return body;
  }

  before(async () => {
    mysqlProxy = await startTcpProxy(TEST_SERVERS.mysql);
    pgProxy = await startTcpProxy(TEST_SERVERS.postgres);
    p = await startPlatformApp({
      fixture: { orders: 20, roles: ROLES, users: USERS },
      // Every connection the API opens to a database goes through a counting proxy.
      config: (c) => ({ ...c, sources: c.sources.map((s) => ({ ...s, port: s.type === 'mysql' ? mysqlProxy.port : pgProxy.port })) }),
    });
    my = p.fixture.my.name;
    await mkdir(path.join(p.fixture.volumeRoot, 'secret'));
    await writeFile(path.join(p.fixture.volumeRoot, 'secret', 'report.txt'), 'secret report');
    fifo = createParkedFifo(path.join(p.fixture.volumeRoot, 'secret', 'parked.fifo'), parked);
  });
  after(async () => {
    fifo?.close();
    await p?.close();
    await mysqlProxy?.close();
    await pgProxy?.close();
  });

  it('browse listings: only what the grant could cover; 403 without the action or grant, before any connection', async () => {
    expect(await (await as('bob', '/v1/sources')).json()).to.deep.equal([{ name: 'shop_mysql', type: 'mysql' }]);
    expect(await (await as('alice', '/v1/sources')).json()).to.have.length(2);
    await untouched(async () => denied(await as('dave', '/v1/sources'), '"browse" action', 'dave'));
    const before = connections();
    expect(await (await as('bob', '/v1/sources/shop_mysql/databases')).json()).to.deep.equal([my]);
    expect(connections().mysql, 'the proxy is in the path').to.be.above(before.mysql);
    await untouched(async () => denied(await as('bob', '/v1/sources/shop_pg/databases'), 'source shop_pg', 'bob'));
    const tables = (await (await as('bob', `/v1/sources/shop_mysql/databases/${my}/tables`)).json()) as { name: string }[];
    expect(tables.map((t) => t.name)).to.deep.equal(['customers']);
    await untouched(async () => denied(await as('bob', '/v1/sources/shop_pg/databases/app/tables'), 'shop_pg/app', 'bob'));
    await untouched(async () => denied(await as('bob', `/v1/sources/shop_mysql/databases/${my}/tables/orders`, { method: 'HEAD' }), '', 'bob'));
    expect((await as('bob', `/v1/sources/shop_mysql/databases/${my}/tables/customers`, { method: 'HEAD' })).status).to.equal(200);
    await untouched(async () => denied(await as('dave', '/v1/sources/shop_mysql', { method: 'HEAD' }), '', 'dave'));

    expect(await (await as('bob', '/v1/volumes')).json()).to.deep.equal([{ name: 'invoices' }]);
    await denied(await as('dave', '/v1/volumes'), '"browse" action', 'dave');
    const listed = (await (await as('bob', '/v1/volumes/invoices/files')).text()).trim().split('\n').map((l) => (JSON.parse(l) as { path: string }).path);
    expect(listed).to.have.length(20);
    expect(listed.every((x) => /^invoice_\d+\.txt$/.test(x)), listed.join(' ')).to.equal(true);
    const all = (await (await as('alice', '/v1/volumes/invoices/files')).text()).trim().split('\n');
    expect(all.length).to.be.above(60);
    await denied(await as('bob', '/v1/volumes/invoices/files?filter=path:secret'), 'invoices:secret', 'bob');
    await denied(await as('carol', '/v1/volumes/invoices/files'), '"browse" action', 'carol');
    expect(fifo.parked).to.equal(parked.length);
  });

  it('rows: the rows action and the table granted, checked before any connection; audited with the filter hash only', async () => {
    const before = connections();
    const ok = await as('bob', `/v1/sources/shop_mysql/databases/${my}/tables/customers/rows?limit=3`);
    expect(ok.status).to.equal(200);
    expect(((await ok.json()) as { rows: unknown[] }).rows).to.have.length(3);
    expect(connections().mysql).to.be.above(before.mysql);
    const filter = "note LIKE 'confidential-filter-text%'";
    const rowsUrl = (user: User, table: string) => as(user, `/v1/sources/shop_mysql/databases/${my}/tables/${table}/rows?filter=${encodeURIComponent(filter)}`);
    await untouched(async () => denied(await rowsUrl('bob', 'orders'), `shop_mysql/${my}/orders`, 'bob'));
    expect(p.app.audit.of('access.denied').at(-1)).to.deep.include({ target: `shop_mysql/${my}/orders` });
    expect(p.app.audit.of('access.denied').at(-1)!.detail).to.match(/^rows: /);
    await untouched(async () => denied(await rowsUrl('dave', 'customers'), '"rows" action', 'dave'));
    await untouched(async () => denied(await rowsUrl('carol', 'orders'), '"rows" action', 'carol'));
    await untouched(async () => denied(await as('bob', `/v1/sources/shop_pg/databases/app/tables/events/rows`, { headers: { Accept: 'application/x-ndjson' } }), 'shop_pg/app/events', 'bob'));

    const reads = finished('browse.rows').length;
    const read = await as('alice', `/v1/sources/shop_mysql/databases/${my}/tables/orders/rows?filter=${encodeURIComponent('customer_id = 3')}`);
    const rows = ((await read.json()) as { rows: unknown[] }).rows;
    expect(rows.length).to.be.above(0);
    const event = await audited('browse.rows', reads + 1);
    expect(event).to.deep.include({
      outcome: 'success',
      actor: 'alice',
      via: 'static-token',
      target: `shop_mysql/${my}/orders`,
      rows: rows.length,
      filterSha256: createHash('sha256').update('customer_id = 3').digest('hex'),
    });
    expect(event.filter).to.equal(undefined);
    const ndjson = await as('alice', `/v1/sources/shop_mysql/databases/${my}/tables/orders/rows?format=ndjson&limit=4`);
    expect((await ndjson.text()).trim().split('\n')).to.have.length(4);
    expect(await audited('browse.rows', reads + 2)).to.deep.include({ rows: 4, outcome: 'success' });
    expect(JSON.stringify(p.app.audit.events)).not.to.contain('confidential-filter-text');
  });

  it('file downloads: the files action and the normalised path granted, checked before anything is opened; audited', async () => {
    const files = finished('browse.file').length;
    const ok = await as('bob', '/v1/volumes/invoices/file?path=./invoice_1.txt');
    expect(ok.status).to.equal(200);
    expect(await ok.text()).to.equal('Invoice for order 1\n');
    expect(await audited('browse.file', files + 1)).to.deep.include({ actor: 'bob', outcome: 'success', target: 'invoices:invoice_1.txt', bytes: 20 });
    await denied(await as('bob', '/v1/volumes/invoices/file?path=att_1_1.txt'), 'invoices:att_1_1.txt', 'bob');
    await denied(await as('bob', '/v1/volumes/invoices/file?path=secret//report.txt'), 'invoices:secret/report.txt', 'bob');
    await denied(await as('bob', '/v1/volumes/invoices/file?path=secret/parked.fifo'), 'invoices:secret/parked.fifo', 'bob');
    await denied(await as('bob', '/v1/volumes/invoices/file?path=secret/parked.fifo', { method: 'HEAD' }), '', 'bob');
    await denied(await as('dave', '/v1/volumes/invoices/file?path=invoice_1.txt'), '"files" action', 'dave');
    await denied(await as('bob', '/v1/volumes/scans/file?path=invoice_1.txt'), 'volume scans', 'bob');
    // Full grants: the pipe is still not a file; nothing is read from it either.
    await problem(await as('alice', '/v1/volumes/invoices/file?path=secret/parked.fifo'), 404, 'FILE_NOT_FOUND');
    // "Best" file: chosen among granted files only (the newest file of the volume is secret/report.txt).
    const best = await as('bob', '/v1/volumes/invoices/best');
    expect(best.status).to.equal(200);
    expect(best.headers.get('x-hfit-file-path')).to.match(/^invoice_\d+\.txt$/);
    expect((await as('alice', '/v1/volumes/invoices/best')).headers.get('x-hfit-file-path')).to.equal('secret/report.txt');
    await denied(await as('bob', '/v1/volumes/invoices/best?filter=path:secret'), 'invoices:secret', 'bob');
    await denied(await as('dave', '/v1/volumes/invoices/best'), '"files" action', 'dave');
    expect(fifo.parked).to.equal(parked.length);
  });

  it('build submit and validate: the build action, the package and every table named; refused before any connection; audited', async () => {
    const before = connections();
    const ok = await as('carol', '/v1/builds', json(submitBody(p.fixture.template)));
    expect(ok.status).to.equal(202);
    const { id } = (await ok.json()) as { id: string };
    expect(connections().mysql, 'the submit checks read the catalog through the proxy').to.be.above(before.mysql);
    expect(finished('build.submit').at(-1)).to.deep.include({ actor: 'carol', outcome: 'success', buildId: id, owner: 'carol', target: 'order_7' });
    expect((await as('carol', '/v1/builds/validate', json(submitBody(p.fixture.template)))).status).to.equal(200);

    const queued = async () => (await p.fixture.store.page({ kind: 'all' }, 100)).length;
    const count = await queued();
    await untouched(async () => denied(await as('bob', '/v1/builds', json(submitBody(p.fixture.template))), '"build" action', 'bob'));
    await untouched(async () => denied(await as('dave', '/v1/builds/validate', json(submitBody(p.fixture.template))), '"build" action', 'dave'));
    const narrow = await untouched(async () => denied(await as('gina', '/v1/builds', json(submitBody(p.fixture.template))), 'see details', 'gina'));
    expect(narrow.errors?.map((e) => e.field).sort()).to.deep.equal([
      'exports.customers.data.sql.data.table',
      'exports.orders.data.sql.data.table',
      'exports.shop.schema.sql.data.tablelist[0]',
      'prepare[1].hdata.query',
    ]);
    await untouched(async () => denied(await as('gina', '/v1/builds/validate', json(submitBody(p.fixture.template))), 'see details', 'gina'));
    const otherPackage = p.fixture.template.replace('packageName: order_$1', 'packageName: payroll_$1');
    await untouched(async () => denied(await as('carol', '/v1/builds', json(submitBody(otherPackage))), '"payroll_7"', 'carol'));
    expect(await queued(), 'nothing was queued').to.equal(count);
  });

  it('builds of others: 404 as for a build that does not exist, unless the builds grant names the owner; download and cancel need their actions', async () => {
    const submitted = (await (await as('alice', '/v1/builds', json(submitBody(p.fixture.template)))).json()) as { id: string };
    const id = submitted.id;
    const bytes = randomBytes(3000);
    const key = `packages/order_7/${id}.tar.gz`;
    await p.fixture.objects.publish(key, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await p.fixture.store.update(id, (r) => ({ ...r, state: 'succeeded', packageName: 'order_7', finishedAt: new Date().toISOString(), artifact: { name: 'order_7.tar.gz', size: bytes.length, sha256, format: 'tar.gz', key } }));

    const missing = await problem(await as('bob', '/v1/builds/0000000000000000000000000'), 404, 'BUILD_NOT_FOUND');
    for (const user of ['bob', 'carol'] as const) {
      const hidden = await untouched(async () => problem(await as(user, `/v1/builds/${id}`), 404, 'BUILD_NOT_FOUND'));
      expect(hidden.detail).to.equal(missing.detail.replace('0000000000000000000000000', id));
      await problem(await as(user, `/v1/builds/${id}/artifact`), 404, 'BUILD_NOT_FOUND');
      expect((await as(user, `/v1/builds/${id}/artifact`, { method: 'HEAD' })).status).to.equal(404);
      const list = (await (await as(user, '/v1/builds?limit=100')).json()) as { items: { id: string }[] };
      expect(list.items.map((i) => i.id)).not.to.include(id);
      await problem(await as(user, '/v1/packages/order_7/latest'), 404, 'PACKAGE_NOT_FOUND');
    }
    expect(((await (await as('erin', `/v1/builds/${id}`)).json()) as { owner: string }).owner).to.equal('alice');
    expect(((await (await as('erin', '/v1/builds?limit=100')).json()) as { items: { id: string }[] }).items.map((i) => i.id)).to.include(id);
    expect(((await (await as('erin', '/v1/packages/order_7/latest')).json()) as { id: string }).id).to.equal(id);

    const own = await as('alice', `/v1/builds/${id}/artifact`);
    expect(Buffer.from(await own.arrayBuffer()).equals(bytes)).to.equal(true);
    expect(await audited('build.download', 1)).to.deep.include({ actor: 'alice', outcome: 'success', buildId: id, owner: 'alice', sha256, bytes: 3000 });
    const ranged = await as('erin', `/v1/builds/${id}/artifact`, { headers: { Range: 'bytes=100-199' } });
    expect(ranged.status).to.equal(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(bytes.subarray(100, 200))).to.equal(true);
    expect(await audited('build.download', 2)).to.deep.include({ actor: 'erin', owner: 'alice', bytes: 100, sha256, detail: 'range bytes=100-199/3000' });
    expect((await as('hank', `/v1/builds/${id}`)).status).to.equal(200);
    await denied(await as('hank', `/v1/builds/${id}/artifact`), '"download" action', 'hank');
    await denied(await as('hank', `/v1/builds/${id}/artifact`, { method: 'HEAD' }), '', 'hank');
    const downloads = finished('build.download').length;

    const queued = (await (await as('alice', '/v1/builds', json(submitBody(p.fixture.template, ['8'])))).json()) as { id: string };
    await problem(await as('bob', `/v1/builds/${queued.id}/cancel`, { method: 'POST' }), 404, 'BUILD_NOT_FOUND');
    await denied(await as('erin', `/v1/builds/${queued.id}/cancel`, { method: 'POST' }), '"admin" action', 'erin');
    expect(((await (await as('alice', `/v1/builds/${queued.id}`)).json()) as { state: string }).state).to.equal('queued');
    const cancelled = await as('alice', `/v1/builds/${queued.id}/cancel`, { method: 'POST' });
    expect(((await cancelled.json()) as { state: string }).state).to.equal('cancelled');
    expect(p.app.audit.of('build.cancel').at(-1)).to.deep.include({ actor: 'alice', buildId: queued.id, owner: 'alice' });
    expect(p.app.audit.of('build.download').filter((e) => e.outcome !== 'started')).to.have.length(downloads);
  });

  it('templates: own always, others\' only with the templates grant (404 otherwise), also to build from; writes only to one\'s own', async () => {
    expect((await as('alice', '/v1/templates', { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: p.fixture.template })).status).to.equal(201);
    const names = async (user: User, query = '') => ((await (await as(user, `/v1/templates${query}`)).json()) as { items: { name: string }[] }).items.map((i) => i.name);
    expect(await names('alice')).to.deep.equal(['order_incident']);
    expect(await names('erin', '?owner=alice')).to.deep.equal(['order_incident']);
    expect(await names('erin')).to.deep.equal([]);
    await problem(await as('bob', '/v1/templates?owner=alice'), 404, 'TEMPLATE_NOT_FOUND');
    const read = await as('erin', '/v1/templates/order_incident?owner=alice', { headers: { Accept: 'application/yaml' } });
    expect(await read.text()).to.equal(p.fixture.template);
    const hidden = await problem(await as('bob', '/v1/templates/order_incident?owner=alice'), 404, 'TEMPLATE_NOT_FOUND');
    const none = await problem(await as('erin', '/v1/templates/no_such?owner=alice'), 404, 'TEMPLATE_NOT_FOUND');
    expect(hidden.detail).to.equal(none.detail.replace('no_such', 'order_incident'));

    const byName = { templateName: 'order_incident', templateOwner: 'alice', args: ['7'] };
    expect((await as('frank', '/v1/builds', json(byName))).status).to.equal(202);
    await untouched(async () => problem(await as('carol', '/v1/builds', json(byName)), 404, 'TEMPLATE_NOT_FOUND'));
    // Writes name no owner: erin's PUT goes to her own templates (she has none), alice's stays as it was.
    const put = await as('erin', '/v1/templates/order_incident?owner=alice', { method: 'PUT', headers: { 'Content-Type': 'application/yaml' }, body: p.fixture.template.replace('order_$1', 'x_$1') });
    expect(put.status).to.equal(404);
    expect(((await (await as('alice', '/v1/templates/order_incident')).json()) as { text: string }).text).to.equal(p.fixture.template);
  });

  it('every refusal was audited as access.denied, with no secret in any event', () => {
    const denials = p.app.audit.of('access.denied');
    expect(refusals).to.be.above(25);
    expect(denials).to.have.length(refusals);
    for (const e of denials) {
      expect(e.code).to.equal('FORBIDDEN');
      expect(e.target).to.be.a('string');
      expect(e.detail).to.match(/^(browse|rows|files|build|download|admin): /);
    }
    const text = JSON.stringify(p.app.audit.events satisfies AuditEvent[]);
    for (const token of Object.values(p.tokens)) expect(text).not.to.contain(token);
    expect(fifo.remaining().equals(parked), 'the parked bytes are all still in the pipe').to.equal(true);
  });
});

describe('builds queued or running per user, through the API', function () {
  this.timeout(60_000);
  let p: PlatformApp;

  before(async () => {
    p = await startPlatformApp({ fixture: { orders: 5, maxConcurrentBuildsPerUser: 1 } });
  });
  after(async () => {
    await p?.close();
  });

  it('answers 429 BUILD_LIMIT_REACHED while the first is queued, and takes the next once it finished', async () => {
    const submit = (token?: string) =>
      p.app.fetch('/v1/builds', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ template: p.fixture.template, args: ['3'] }), ...(token === undefined ? {} : { token }) });
    const first = await submit();
    expect(first.status).to.equal(202);
    const { id } = (await first.json()) as { id: string };
    const second = await submit();
    expect(second.status).to.equal(429);
    const body = (await second.json()) as Problem;
    expect(body.code).to.equal('BUILD_LIMIT_REACHED');
    expect(body.detail).to.contain('already has 1 build queued or running').and.to.contain('maxConcurrentBuildsPerUser = 1');
    // Another user has a count of their own.
    expect((await submit(p.tokens['ci-bot'])).status).to.equal(202);
    // The worker's final write (here: failed) gives the place back.
    await p.fixture.store.update(id, (r) => ({ ...r, state: 'failed', error: { code: 'JOB_FAILED', message: 'x' }, finishedAt: new Date().toISOString() }));
    expect((await submit()).status).to.equal(202);
  });
});
