import { HfitError, ProblemSchema } from '@hfit/contracts';
import type { Problem } from '@hfit/contracts';
import { expect } from 'chai';
import { startTestApp, type TestApp } from '../testing/start-test-app.js';

async function problemOf(res: Response): Promise<Problem> {
  expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
  const body = ProblemSchema.parse(await res.json());
  expect(body.status).to.equal(res.status);
  expect(body.type).to.equal(`https://hfit.dev/problems/${body.code}`);
  expect(body.requestId).to.equal(res.headers.get('x-request-id'));
  return body;
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };

describe('problem+json errors', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({ bodyLimitBytes: 2048 });
  });
  afterEach(async () => {
    await app.close();
  });

  it('maps an HfitError to its status, title, detail, field, line and errors', async () => {
    app.builds.failNext(
      'submit',
      new HfitError('TEMPLATE_INVALID', 'Template invalid: 2 problems', {
        details: [
          { field: 'exports.a.type', line: 7, message: 'must be one of: dbcreate, table-create' },
          { field: 'packageName', line: 3, message: 'is required' },
        ],
      }),
    );
    const res = await app.fetch('/v1/builds', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ template: 'x: 1' }) });
    expect(res.status).to.equal(422);
    const p = await problemOf(res);
    expect(p).to.include({ code: 'TEMPLATE_INVALID', title: 'Template invalid', detail: 'Template invalid: 2 problems', instance: '/v1/builds' });
    expect(p.errors).to.deep.equal([
      { field: 'exports.a.type', line: 7, message: 'must be one of: dbcreate, table-create' },
      { field: 'packageName', line: 3, message: 'is required' },
    ]);
    app.builds.failNext('get', new HfitError('BUILD_NOT_FOUND', 'no build "zz"', { field: 'id' }));
    const missing = await problemOf(await app.fetch('/v1/builds/zz'));
    expect(missing).to.include({ status: 404, code: 'BUILD_NOT_FOUND', detail: 'no build "zz"', field: 'id', instance: '/v1/builds/zz' });
  });

  it('lists every validation problem with its field (REQUEST_INVALID)', async () => {
    const res = await app.fetch('/v1/builds?limit=0&state=done&colour=red');
    expect(res.status).to.equal(400);
    const p = await problemOf(res);
    expect(p.code).to.equal('REQUEST_INVALID');
    expect(p.errors?.map((e) => e.field).sort()).to.deep.equal(['query.colour', 'query.limit', 'query.state']);
    expect(p.detail).to.match(/^Request invalid: query\.\w+: .+ \(and 2 more problems\)$/);
    const body = await problemOf(
      await app.fetch('/v1/builds', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ args: [1], options: { format: 'rar' }, extra: true }) }),
    );
    expect(body.errors?.map((e) => e.field).sort()).to.deep.equal(['body.args[0]', 'body.extra', 'body.options.format']);
    expect(body.errors?.find((e) => e.field === 'body.args[0]')?.message).to.equal('must be a string, not an integer: put the value in quotes');
  });

  it('answers ROUTE_NOT_FOUND (404) for an unknown path, authenticated or not', async () => {
    for (const token of [undefined, null]) {
      const res = await app.fetch('/v1/no-such-thing', token === null ? { token } : {});
      expect(res.status).to.equal(404);
      expect(await problemOf(res)).to.include({ code: 'ROUTE_NOT_FOUND', instance: '/v1/no-such-thing' });
    }
  });

  it('answers METHOD_NOT_ALLOWED (405) with Allow for a known path, and 204 with Allow to OPTIONS', async () => {
    const res = await app.fetch('/v1/builds/abc', { method: 'DELETE' });
    expect(res.status).to.equal(405);
    expect(res.headers.get('allow')).to.equal('GET, HEAD, OPTIONS');
    expect((await problemOf(res)).code).to.equal('METHOD_NOT_ALLOWED');
    const put = await app.fetch('/v1/builds', { method: 'PUT' });
    expect(put.status).to.equal(405);
    expect(put.headers.get('allow')).to.equal('POST, GET, HEAD, OPTIONS');
    const options = await app.fetch('/v1/builds/abc/cancel', { method: 'OPTIONS', token: null });
    expect(options.status).to.equal(204);
    expect(options.headers.get('allow')).to.equal('POST, OPTIONS');
  });

  it('answers PAYLOAD_TOO_LARGE (413) for a body over api.bodyLimitBytes, JSON or YAML', async () => {
    const big = JSON.stringify({ template: 'x'.repeat(3000) });
    const res = await app.fetch('/v1/builds', { method: 'POST', headers: JSON_HEADERS, body: big });
    expect(res.status).to.equal(413);
    expect((await problemOf(res)).detail).to.include('2048 bytes');
    const yaml = await app.fetch('/v1/builds', { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: 'a: '.padEnd(3000, 'x') });
    expect(yaml.status).to.equal(413);
    expect(app.builds.calls.filter((c) => c.method === 'submit')).to.have.length(0);
  });

  it('answers REQUEST_INVALID (400) for malformed JSON without echoing the body', async () => {
    const res = await app.fetch('/v1/builds', { method: 'POST', headers: JSON_HEADERS, body: '{"template": "secret-value-123", oops}' });
    expect(res.status).to.equal(400);
    const p = await problemOf(res);
    expect(p).to.include({ code: 'REQUEST_INVALID', field: 'body' });
    expect(p.detail).to.match(/^The request body is not valid JSON/);
    expect(JSON.stringify(p)).not.to.include('secret-value-123');
  });

  it('answers REQUEST_INVALID when a required body is missing', async () => {
    const res = await app.fetch('/v1/builds', { method: 'POST' });
    expect(res.status).to.equal(400);
    const p = await problemOf(res);
    expect(p).to.include({ code: 'REQUEST_INVALID', field: 'body' });
    expect(p.errors?.[0]?.message).to.include('application/json');
  });

  it('answers UNSUPPORTED_MEDIA_TYPE (415) for another content type or charset, naming what is accepted', async () => {
    const res = await app.fetch('/v1/builds', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hello' });
    expect(res.status).to.equal(415);
    expect(res.headers.get('accept-post')).to.equal('application/json, application/yaml, text/yaml, application/x-yaml');
    expect((await problemOf(res)).detail).to.include('send application/json');
    const none = await app.fetch('/v1/builds', { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    expect(none.status).to.equal(415);
    const charset = await app.fetch('/v1/builds', { method: 'POST', headers: { 'Content-Type': 'application/json; charset=latin1' }, body: '{}' });
    expect(charset.status).to.equal(415);
    expect((await problemOf(charset)).detail).to.include('UTF-8');
  });

  it('answers a bad %-escape in the path with REQUEST_INVALID', async () => {
    const res = await app.fetch('/v1/builds/%E0%A4%A');
    expect(res.status).to.equal(400);
    expect((await problemOf(res)).code).to.equal('REQUEST_INVALID');
  });

  it('answers an unexpected error with a generic 500, logging it with the request id', async () => {
    app.builds.failNext('get', new Error('connect ECONNREFUSED redis://:hunter2-secret@10.0.0.5:6379'));
    const res = await app.fetch('/v1/builds/b1', { headers: { 'X-Request-Id': 'trace-500-abc' } });
    expect(res.status).to.equal(500);
    const p = await problemOf(res);
    expect(p).to.include({ code: 'INTERNAL_ERROR', requestId: 'trace-500-abc' });
    const text = JSON.stringify(p);
    expect(text).not.to.include('hunter2').and.not.to.include('ECONNREFUSED').and.not.to.include(' at ');
    const logged = app.logs.records().find((r) => r['requestId'] === 'trace-500-abc');
    expect(logged, 'log line of the request').to.not.equal(undefined);
    expect(logged!['level']).to.equal(50);
    expect((logged!['err'] as { stack: string }).stack).to.include('ECONNREFUSED');
  });

  it('hides the message of a server-fault HfitError but shows that of a 503', async () => {
    app.builds.failNext('get', new HfitError('CONFIG_INVALID', 'sources.a.password is wrong for db.internal'));
    const fault = await problemOf(await app.fetch('/v1/builds/b1'));
    expect(fault.status).to.equal(500);
    expect(fault.detail).not.to.include('db.internal');
    app.builds.failNext('get', new HfitError('REDIS_UNREACHABLE', 'the queue is unavailable, submit again later', { permanent: false }));
    const down = await problemOf(await app.fetch('/v1/builds/b1'));
    expect(down).to.include({ status: 503, code: 'REDIS_UNREACHABLE', detail: 'the queue is unavailable, submit again later' });
  });

  it('keeps a sane X-Request-Id and replaces one that is not', async () => {
    const kept = await app.fetch('/healthz', { headers: { 'X-Request-Id': 'abc-123_XYZ.9' } });
    expect(kept.headers.get('x-request-id')).to.equal('abc-123_XYZ.9');
    const replaced = await app.fetch('/healthz', { headers: { 'X-Request-Id': 'has spaces and "quotes"' } });
    expect(replaced.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    const long = await app.fetch('/healthz', { headers: { 'X-Request-Id': 'a'.repeat(129) } });
    expect(long.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });
});
