import { BuildAcceptedSchema, BuildListSchema, BuildViewSchema, HfitError } from '@hfit/contracts';
import type { CreateBuildRequest, Problem } from '@hfit/contracts';
import { expect } from 'chai';
import { TEST_TOKENS, startTestApp, type TestApp } from '../testing/start-test-app.js';

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const TEMPLATE = 'hfitVersion: 1\ntemplateName: orders\npackageName: orders_$1\nexports: {}\n';

describe('build routes', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp();
  });
  afterEach(async () => {
    await app.close();
  });

  function submitted(): { request: CreateBuildRequest; options: { idempotencyKey?: string } }[] {
    return app.builds.calls
      .filter((c) => c.method === 'submit')
      .map((c) => ({ request: c.args[0] as CreateBuildRequest, options: c.args[1] as { idempotencyKey?: string } }));
  }

  it('submits a JSON request: 202, Location and the accepted build, defaults applied', async () => {
    const res = await app.fetch('/v1/builds', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ template: TEMPLATE, args: ['42'] }) });
    expect(res.status).to.equal(202);
    const body = BuildAcceptedSchema.parse(await res.json());
    expect(res.headers.get('location')).to.equal(`/v1/builds/${body.id}`);
    expect(body).to.deep.include({ state: 'queued', links: { self: `/v1/builds/${body.id}`, cancel: `/v1/builds/${body.id}/cancel` } });
    const [call] = submitted();
    expect(call!.request).to.deep.equal({ template: TEMPLATE, args: ['42'], namedArgs: {}, options: { format: 'tar.gz', consistency: 'source' } });
    expect(call!.options).to.deep.equal({});
    expect(app.builds.calls[0]!.caller).to.equal('alice');
  });

  it('submits a raw YAML template with repeated arg query parameters and options', async () => {
    const res = await app.fetch('/v1/builds?arg=42&arg=a%20b&format=zip&consistency=export', {
      method: 'POST',
      headers: { 'Content-Type': 'application/yaml' },
      body: TEMPLATE,
    });
    expect(res.status).to.equal(202);
    expect(submitted()[0]!.request).to.deep.equal({ template: TEMPLATE, args: ['42', 'a b'], namedArgs: {}, options: { format: 'zip', consistency: 'export' } });
    const single = await app.fetch('/v1/builds?arg=7', { method: 'POST', headers: { 'Content-Type': 'text/yaml; charset=utf-8' }, body: TEMPLATE });
    expect(single.status).to.equal(202);
    expect(submitted()[1]!.request.args).to.deep.equal(['7']);
  });

  it('takes named arguments of a YAML template as repeated namedArg=name=value (the value may hold "=")', async () => {
    const res = await app.fetch(`/v1/builds?namedArg=orderId%3D42&namedArg=${encodeURIComponent('note=a=b c')}&arg=1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/yaml' },
      body: TEMPLATE,
    });
    expect(res.status, await res.clone().text()).to.equal(202);
    expect(submitted()[0]!.request).to.deep.include({ args: ['1'], namedArgs: { orderId: '42', note: 'a=b c' } });
    const bad = await app.fetch('/v1/builds?namedArg=orderId&namedArg=1x%3Dy&namedArg=a%3D1&namedArg=a%3D2', {
      method: 'POST',
      headers: { 'Content-Type': 'application/yaml' },
      body: TEMPLATE,
    });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as Problem).errors).to.deep.equal([{ field: 'query.namedArg[0]', message: 'must be name=value' }]);
    const twice = await app.fetch('/v1/builds?namedArg=a%3D1&namedArg=a%3D2', { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: TEMPLATE });
    expect(((await twice.json()) as Problem).errors).to.deep.equal([{ field: 'query.namedArg[1]', message: '"a" is given twice: give each named argument once' }]);
    const badName = await app.fetch('/v1/builds?namedArg=1x%3Dy', { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: TEMPLATE });
    expect(((await badName.json()) as Problem).errors?.map((e) => e.field)).to.deep.equal(['query.namedArg.1x']);
    expect(submitted()).to.have.length(1);
  });

  it('rejects query parameters with a JSON body, unknown ones, and an empty YAML body', async () => {
    const json = await app.fetch('/v1/builds?arg=1&format=zip', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ template: TEMPLATE }) });
    expect(json.status).to.equal(400);
    expect(((await json.json()) as Problem).errors?.map((e) => e.field).sort()).to.deep.equal(['query.arg', 'query.format']);
    const unknown = await app.fetch('/v1/builds?args=1', { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: TEMPLATE });
    expect(((await unknown.json()) as Problem).errors).to.deep.equal([{ field: 'query.args', message: 'is not a known parameter' }]);
    const empty = await app.fetch('/v1/builds', { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: '' });
    expect(empty.status).to.equal(400);
    expect(((await empty.json()) as Problem).field).to.equal('body');
    expect(submitted()).to.have.length(0);
  });

  it('passes a valid Idempotency-Key and answers a replay with 200 and the same build', async () => {
    const init = { method: 'POST', headers: { ...JSON_HEADERS, 'Idempotency-Key': 'nightly 2026-03-01 #1' }, body: JSON.stringify({ template: TEMPLATE }) };
    const first = await app.fetch('/v1/builds', init);
    expect(first.status).to.equal(202);
    const again = await app.fetch('/v1/builds', init);
    expect(again.status).to.equal(200);
    const a = BuildAcceptedSchema.parse(await first.json());
    const b = BuildAcceptedSchema.parse(await again.json());
    expect(b).to.deep.equal(a);
    expect(again.headers.get('location')).to.equal(`/v1/builds/${a.id}`);
    expect(submitted().map((c) => c.options)).to.deep.equal([{ idempotencyKey: 'nightly 2026-03-01 #1' }, { idempotencyKey: 'nightly 2026-03-01 #1' }]);
    const conflict = await app.fetch('/v1/builds', { ...init, body: JSON.stringify({ template: TEMPLATE, args: ['other'] }) });
    expect(conflict.status).to.equal(409);
    expect(((await conflict.json()) as Problem).code).to.equal('IDEMPOTENCY_CONFLICT');
  });

  it('rejects an Idempotency-Key that is empty, too long or not printable ASCII', async () => {
    for (const key of ['', 'k'.repeat(201), 'clé-1', 'tab\there']) {
      const headers = new Headers(JSON_HEADERS);
      headers.set('Idempotency-Key', key);
      const res = await app.fetch('/v1/builds', { method: 'POST', headers, body: JSON.stringify({ template: TEMPLATE }) }).catch(() => undefined);
      // fetch itself refuses some header values (non-Latin-1); what it sends must be refused by us.
      if (res === undefined) continue;
      expect(res.status, JSON.stringify(key)).to.equal(400);
      const p = (await res.json()) as Problem;
      expect(p.errors, JSON.stringify(key)).to.deep.equal([{ field: 'headers.idempotency-key', message: 'must be 1-200 printable ASCII characters' }]);
    }
    const longest = await app.fetch('/v1/builds', { method: 'POST', headers: { ...JSON_HEADERS, 'Idempotency-Key': 'k'.repeat(200) }, body: JSON.stringify({ template: TEMPLATE }) });
    expect(longest.status).to.equal(202);
    expect(submitted()).to.have.length(1);
  });

  it('gets, lists (validated query, paging) and cancels builds', async () => {
    const ids: string[] = [];
    for (const arg of ['1', '2', '3']) {
      const res = await app.fetch('/v1/builds', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ template: TEMPLATE, args: [arg] }) });
      ids.push(BuildAcceptedSchema.parse(await res.json()).id);
    }
    const one = BuildViewSchema.parse(await (await app.fetch(`/v1/builds/${ids[0]}`)).json());
    expect(one).to.include({ id: ids[0], templateName: 'orders', owner: 'alice', state: 'queued' });
    const page1 = BuildListSchema.parse(await (await app.fetch('/v1/builds?limit=2&template=orders')).json());
    expect(page1.items.map((v) => v.id)).to.deep.equal([ids[2], ids[1]]);
    expect(page1.nextCursor).to.equal(ids[1]);
    const page2 = BuildListSchema.parse(await (await app.fetch(`/v1/builds?limit=2&cursor=${page1.nextCursor}`)).json());
    expect(page2.items.map((v) => v.id)).to.deep.equal([ids[0]]);
    const listCall = app.builds.calls.filter((c) => c.method === 'list')[0]!;
    expect(listCall.args[0]).to.deep.equal({ limit: 2, template: 'orders' });
    const cancelled = await app.fetch(`/v1/builds/${ids[0]}/cancel`, { method: 'POST', token: TEST_TOKENS.bob });
    expect(cancelled.status).to.equal(200);
    expect(BuildViewSchema.parse(await cancelled.json()).state).to.equal('cancelled');
    const again = await app.fetch(`/v1/builds/${ids[0]}/cancel`, { method: 'POST' });
    expect(again.status).to.equal(409);
    expect(((await again.json()) as Problem).code).to.equal('BUILD_FINISHED');
  });

  it('finds the latest succeeded build of a package and validates the name', async () => {
    const res = await app.fetch('/v1/builds', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ template: TEMPLATE, args: ['9'] }) });
    const { id } = BuildAcceptedSchema.parse(await res.json());
    expect((await app.fetch('/v1/packages/orders_9/latest')).status).to.equal(404);
    app.builds.succeed(id, Buffer.from('archive'), { packageName: 'orders_9' });
    const latest = BuildViewSchema.parse(await (await app.fetch('/v1/packages/orders_9/latest')).json());
    expect(latest).to.deep.include({ id, packageName: 'orders_9', state: 'succeeded' });
    const bad = await app.fetch('/v1/packages/..%2Fetc/latest');
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as Problem).field).to.equal('params.name');
  });

  it('answers 500 when a service reply breaks the declared response schema', async () => {
    const res = await app.fetch('/v1/builds', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ template: TEMPLATE }) });
    const { id } = BuildAcceptedSchema.parse(await res.json());
    app.builds.update(id, { state: 'exploded' as never });
    const broken = await app.fetch(`/v1/builds/${id}`);
    expect(broken.status).to.equal(500);
    expect(app.logs.text()).to.include('does not match the declared schema');
    app.builds.failNext('get', new HfitError('BUILD_NOT_FOUND', 'gone'));
    expect((await app.fetch(`/v1/builds/${id}`)).status).to.equal(404);
  });
  describe('submission budget and audit', () => {
    it('counts submits and validations against the per-user budget, answering 429 with Retry-After when spent; nothing reaches the service', async () => {
      await app.close();
      const counted: string[] = [];
      app = await startTestApp({
        rateLimits: {
          login: () => Promise.resolve(),
          submit: (user) => {
            counted.push(user);
            if (counted.length > 2) throw new HfitError('RATE_LIMITED', `user "${user}" submitted too many builds: wait`, { retryAfterSeconds: 7 });
            return Promise.resolve();
          },
        },
      });
      const body = { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ template: TEMPLATE, args: ['1'] }) };
      expect((await app.fetch('/v1/builds', body)).status).to.equal(202);
      expect((await app.fetch('/v1/builds/validate', body)).status).to.equal(200);
      const limited = await app.fetch('/v1/builds', body);
      expect(limited.status).to.equal(429);
      expect(limited.headers.get('retry-after')).to.equal('7');
      expect(((await limited.json()) as Problem).code).to.equal('RATE_LIMITED');
      expect((await app.fetch('/v1/builds/validate', { ...body, token: TEST_TOKENS.bob })).status).to.equal(429);
      expect(counted).to.deep.equal(['alice', 'alice', 'alice', 'bob']);
      expect(app.builds.calls.map((c) => c.method)).to.deep.equal(['submit', 'validate']);
    });

    it('audits a submit and a cancel with who, how, from where and which request', async () => {
      const res = await app.fetch('/v1/builds', { method: 'POST', headers: { ...JSON_HEADERS, 'X-Request-Id': 'req-audit-1' }, body: JSON.stringify({ template: TEMPLATE, args: ['42'] }) });
      const { id } = (await res.json()) as { id: string };
      const [started, submit] = app.audit.of('build.submit');
      // Recorded before anything is queued, then with the build it made.
      expect(started).to.deep.include({ action: 'build.submit', outcome: 'started', actor: 'alice', target: 'orders' });
      expect(started!.buildId).to.equal(undefined);
      expect(submit).to.deep.include({ action: 'build.submit', outcome: 'success', actor: 'alice', via: 'static-token', buildId: id, owner: 'alice', target: 'orders' });
      expect(submit!.clientIp).to.match(/127\.0\.0\.1/);
      expect(submit!.requestId).to.be.a('string');
      await app.fetch(`/v1/builds/${id}/cancel`, { method: 'POST' });
      expect(app.audit.of('build.cancel')[0]).to.deep.include({ actor: 'alice', buildId: id, owner: 'alice' });
      // An idempotent replay is recorded as such, with the same build.
      const again = { method: 'POST', headers: { ...JSON_HEADERS, 'Idempotency-Key': 'k1' }, body: JSON.stringify({ template: TEMPLATE, args: ['1'] }) };
      await app.fetch('/v1/builds', again);
      await app.fetch('/v1/builds', again);
      const done = app.audit.of('build.submit').filter((e) => e.outcome === 'success');
      expect(done.map((e) => e.detail)).to.deep.equal([undefined, undefined, 'idempotent replay of an earlier submit']);
      expect(done[2]!.buildId).to.equal(done[1]!.buildId);
    });
  });
});
