import { expect } from 'chai';
import type { Strategy } from 'passport';
import { configPolicyResolver, policyOf } from '@hfit/access';
import { TEST_TOKENS, startTestApp, type TestApp } from '../testing/start-test-app.js';
import type { AuthStrategy } from './auth-strategy.js';
import { staticTokenStrategy } from './static-token-strategy.js';

/** A second strategy beside the bearer one, the way JWT or CI-token strategies slot in. */
function headerStrategy(): AuthStrategy {
  const strategy = {
    name: 'ci-header',
    authenticate(this: { success(user: Express.User): void; fail(challenge: string, status: number): void }, req: { headers: Record<string, unknown> }) {
      if (req.headers['x-ci-token'] === 'ci-secret-0123456789') this.success({ user: 'ci-runner', via: 'ci-token', policy: policyOf('ci-runner', [], [], {}) });
      else this.fail('CI-Token realm="hfit"', 401);
    },
  };
  return { name: 'ci-header', strategy: strategy as unknown as Strategy };
}

describe('authentication', () => {
  let app: TestApp;
  afterEach(async () => {
    await app?.close();
  });

  it('answers 401 UNAUTHENTICATED with a Bearer challenge and how to get a token when no token is sent', async () => {
    app = await startTestApp();
    const res = await app.fetch('/v1/whoami', { token: null });
    expect(res.status).to.equal(401);
    expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).to.equal('Bearer realm="hfit"');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).to.include({ status: 401, code: 'UNAUTHENTICATED', type: 'https://hfit.dev/problems/UNAUTHENTICATED', instance: '/v1/whoami' });
    expect(body['detail']).to.include("'Authorization: Bearer <token>'").and.to.include('operator');
  });

  it('answers 401 with error="invalid_token" for a wrong token, and for another scheme', async () => {
    app = await startTestApp();
    const wrong = await app.fetch('/v1/whoami', { token: 'not-a-known-token-123' });
    expect(wrong.status).to.equal(401);
    expect(wrong.headers.get('www-authenticate')).to.equal('Bearer realm="hfit", error="invalid_token"');
    expect(((await wrong.json()) as { detail: string }).detail).to.include('not valid');
    const basic = await app.fetch('/v1/whoami', { token: null, headers: { Authorization: `Basic ${Buffer.from('alice:x').toString('base64')}` } });
    expect(basic.status).to.equal(401);
    expect(basic.headers.get('www-authenticate')).to.equal('Bearer realm="hfit"');
  });

  it('authenticates each configured token as its user (GET /v1/whoami)', async () => {
    app = await startTestApp();
    const alice = await app.fetch('/v1/whoami');
    expect(alice.status).to.equal(200);
    expect(await alice.json()).to.deep.include({ user: 'alice', via: 'static-token' });
    const bob = await app.fetch('/v1/whoami', { token: TEST_TOKENS.bob });
    expect(await bob.json()).to.deep.include({ user: 'bob', via: 'static-token' });
  });

  it('protects every /v1 route but not /healthz, /readyz and /openapi.json', async () => {
    app = await startTestApp();
    for (const path of ['/v1/builds', '/v1/builds/x', '/v1/builds/x/artifact', '/v1/packages/p/latest', '/v1/whoami']) {
      expect((await app.fetch(path, { token: null })).status, path).to.equal(401);
    }
    expect((await app.fetch('/v1/builds/x/cancel', { method: 'POST', token: null })).status).to.equal(401);
    for (const path of ['/healthz', '/readyz', '/openapi.json']) expect((await app.fetch(path, { token: null })).status, path).to.equal(200);
  });

  it('refuses a token in the query string, before any strategy sees it', async () => {
    app = await startTestApp();
    const res = await app.fetch(`/v1/whoami?access_token=${TEST_TOKENS.alice}`, { token: null });
    expect(res.status).to.equal(400);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).to.include({ code: 'REQUEST_INVALID', field: 'query.access_token' });
  });

  it('tries every strategy in order: a second one authenticates, and all challenges are sent when none does', async () => {
    app = await startTestApp({ authStrategies: [staticTokenStrategy([{ user: 'alice', token: TEST_TOKENS.alice }], configPolicyResolver({ admins: [], roles: {}, tokens: [{ user: 'alice', roles: [] }] })), headerStrategy()] });
    expect(await (await app.fetch('/v1/whoami')).json()).to.deep.include({ user: 'alice', via: 'static-token' });
    const ci = await app.fetch('/v1/whoami', { token: null, headers: { 'X-CI-Token': 'ci-secret-0123456789' } });
    expect(await ci.json()).to.deep.include({ user: 'ci-runner', via: 'ci-token', roles: [] });
    const none = await app.fetch('/v1/whoami', { token: null });
    expect(none.status).to.equal(401);
    expect(none.headers.get('www-authenticate')).to.equal('Bearer realm="hfit", CI-Token realm="hfit"');
  });
});
