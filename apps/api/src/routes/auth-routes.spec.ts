import { generateLoginKeyPair, LOGIN_KEY_KINDS, type LoginKeyPair } from '@hfit/auth/testing';
import { ChallengeResponseSchema, HfitError, JwksSchema, TokenResponseSchema } from '@hfit/contracts';
import { expect } from 'chai';
import { startSecurityApp, TEST_ADMIN, type SecurityApp } from '../testing/security-app.js';

/** POST a JSON body without a bearer token. */
function post(s: SecurityApp, path: string, body: unknown): Promise<Response> {
  return s.app.fetch(path, { method: 'POST', token: null, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

async function challengeFor(s: SecurityApp, username: string): Promise<string> {
  const res = await post(s, '/v1/auth/challenge', { username });
  expect(res.status).to.equal(200);
  return ChallengeResponseSchema.parse(await res.json()).challenge;
}

/** Creates `name` through the admin API with `keys` (text), as the config admin. */
async function createUser(s: SecurityApp, name: string, keys: string[], roles: string[] = ['tester']): Promise<void> {
  const res = await s.app.fetch('/v1/admin/users', {
    method: 'POST',
    token: await s.adminToken(),
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, roles, keys }),
  });
  expect(res.status, await res.clone().text()).to.equal(201);
}

/** Status, headers (those that vary per request left out) and body (minus `requestId`) of a failed login. */
async function failureShape(res: Response): Promise<{ status: number; headers: Record<string, string>; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!['date', 'x-request-id', 'content-length'].includes(name)) headers[name] = value;
  });
  const { requestId, ...body } = (await res.json()) as Record<string, unknown>;
  expect(requestId).to.be.a('string');
  return { status: res.status, headers, body };
}

describe('key-pair login (POST /v1/auth/challenge, /v1/auth/token)', () => {
  let s: SecurityApp;
  afterEach(async () => {
    await s?.close();
  });

  for (const kind of LOGIN_KEY_KINDS) {
    it(`logs in with ${kind}, registered as an authorized_keys line and as PEM SPKI`, async () => {
      s = await startSecurityApp();
      const asLine = generateLoginKeyPair(kind);
      const asPem = generateLoginKeyPair(kind);
      await createUser(s, `line-${kind}`, [asLine.authorizedKey]);
      await createUser(s, `pem-${kind}`, [asPem.pem]);
      for (const [user, key] of [[`line-${kind}`, asLine], [`pem-${kind}`, asPem]] as const) {
        const token = await s.login(user, key);
        const who = await s.app.fetch('/v1/whoami', { token });
        expect(who.status).to.equal(200);
        expect(await who.json()).to.deep.include({ user, via: 'jwt', roles: ['tester'] });
      }
      if (kind.startsWith('ecdsa')) {
        const challenge = await challengeFor(s, `line-${kind}`);
        const res = await post(s, '/v1/auth/token', { username: `line-${kind}`, challenge, signature: asLine.sign(challenge, { p1363: true }) });
        expect(res.status, 'IEEE P1363 signature').to.equal(200);
      }
      const logins = s.audit.of('auth.login').filter((e) => e.outcome === 'success');
      expect(logins.map((e) => e.detail)).to.include(`key ${asPem.fingerprint}`);
    });
  }

  it('answers a token with the documented claims, signed by a key of the JWKS, with no-store', async () => {
    s = await startSecurityApp({ auth: { tokenTtlSeconds: 600 } });
    const challenge = await challengeFor(s, TEST_ADMIN);
    expect(challenge).to.match(/^hfit-login-v1:hfit-api:root:[A-Za-z0-9_-]{43}$/);
    const res = await post(s, '/v1/auth/token', { username: TEST_ADMIN, challenge, signature: s.adminKey.sign(challenge) });
    expect(res.status).to.equal(200);
    expect(res.headers.get('cache-control')).to.equal('no-store');
    const body = TokenResponseSchema.parse(await res.json());
    expect(body).to.include({ tokenType: 'Bearer', expiresIn: 600, user: TEST_ADMIN });
    const [h, p] = body.token.split('.') as [string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>;
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, number | string>;
    expect(header).to.deep.include({ alg: 'EdDSA', typ: 'JWT' });
    expect(claims).to.include({ iss: 'hfit', aud: 'hfit-api', sub: TEST_ADMIN });
    expect(Number(claims['exp']) - Number(claims['iat'])).to.equal(600);
    expect(claims['jti']).to.be.a('string');
    expect(new Date(body.expiresAt).getTime()).to.equal(Number(claims['exp']) * 1000);

    const jwks = await s.app.fetch('/.well-known/jwks.json', { token: null });
    expect(jwks.status).to.equal(200);
    expect(jwks.headers.get('cache-control')).to.equal('public, max-age=60');
    const keys = JwksSchema.parse(await jwks.json()).keys;
    expect(keys.map((k) => k.kid)).to.deep.equal([header['kid']]);
    expect(keys[0]).to.include({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(keys[0]).to.not.have.property('d');
  });

  it('signs ES256 tokens when auth.signingAlgorithm is ES256', async () => {
    s = await startSecurityApp({ auth: { signingAlgorithm: 'ES256' } });
    const token = await s.adminToken();
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).to.include({ alg: 'ES256' });
    expect((await s.app.fetch('/v1/whoami', { token })).status).to.equal(200);
    const keys = JwksSchema.parse(await (await s.app.fetch('/.well-known/jwks.json', { token: null })).json()).keys;
    expect(keys[0]).to.include({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(keys[0]).to.not.have.property('d');
  });

  it('gives a challenge of the same shape to an unknown user, and refuses malformed usernames with 400', async () => {
    s = await startSecurityApp();
    const known = await post(s, '/v1/auth/challenge', { username: TEST_ADMIN });
    const unknown = await post(s, '/v1/auth/challenge', { username: 'nobody-here' });
    expect(unknown.status).to.equal(known.status);
    expect(unknown.headers.get('cache-control')).to.equal('no-store');
    expect(Object.keys((await unknown.json()) as object)).to.deep.equal(Object.keys((await known.json()) as object));
    const bad = await post(s, '/v1/auth/challenge', { username: 'no spaces/allowed' });
    expect(bad.status).to.equal(400);
  });

  it('answers every failed login with the same 401 status, headers and body: unknown user, wrong key, bad signature, used, foreign or made-up challenge', async () => {
    s = await startSecurityApp();
    const bobKey = generateLoginKeyPair('ed25519');
    const otherKey = generateLoginKeyPair('ecdsa-p256');
    await createUser(s, 'bobby', [bobKey.authorizedKey]);
    const attempt = async (username: string, challenge: string, key: LoginKeyPair | string) =>
      post(s, '/v1/auth/token', { username, challenge, signature: typeof key === 'string' ? key : key.sign(challenge) });

    const c1 = await challengeFor(s, 'ghost');
    const unknownUser = await failureShape(await attempt('ghost', c1, bobKey));
    const c2 = await challengeFor(s, 'bobby');
    const wrongKey = await failureShape(await attempt('bobby', c2, otherKey));
    const c3 = await challengeFor(s, 'bobby');
    const garbage = await failureShape(await attempt('bobby', c3, 'AAAA'));
    const c4 = await challengeFor(s, 'bobby');
    expect((await attempt('bobby', c4, bobKey)).status).to.equal(200);
    const replayed = await failureShape(await attempt('bobby', c4, bobKey));
    const forRoot = await challengeFor(s, TEST_ADMIN);
    const foreign = await failureShape(await attempt('bobby', forRoot, bobKey));
    const madeUp = `hfit-login-v1:hfit-api:bobby:${'A'.repeat(43)}`;
    const neverIssued = await failureShape(await attempt('bobby', madeUp, bobKey));

    expect(unknownUser.status).to.equal(401);
    expect(unknownUser.headers['www-authenticate']).to.equal('Bearer realm="hfit"');
    expect(unknownUser.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(unknownUser.body).to.include({ code: 'UNAUTHENTICATED', instance: '/v1/auth/token' });
    for (const [name, shape] of Object.entries({ wrongKey, garbage, replayed, foreign, neverIssued })) expect(shape, name).to.deep.equal(unknownUser);

    // The foreign challenge was not burnt by bobby's attempt: root can still use it.
    expect((await attempt(TEST_ADMIN, forRoot, s.adminKey)).status).to.equal(200);
    const failures = s.audit.of('auth.login').filter((e) => e.outcome === 'failure');
    expect(failures.map((e) => [e.actor, e.detail])).to.deep.equal([
      ['ghost', 'no such user'],
      ['bobby', 'signature does not verify with any registered key'],
      ['bobby', 'signature does not verify with any registered key'],
      ['bobby', 'challenge not issued to this user, already used or expired'],
      ['bobby', 'challenge not issued to this user, already used or expired'],
      ['bobby', 'challenge not issued to this user, already used or expired'],
    ]);
    for (const e of failures) expect(e).to.include({ via: 'key-signature', code: 'UNAUTHENTICATED', clientIp: '127.0.0.1' });
  });

  it('burns the challenge on a wrong signature: the right signature of the same challenge is then refused', async () => {
    s = await startSecurityApp();
    const challenge = await challengeFor(s, TEST_ADMIN);
    expect((await post(s, '/v1/auth/token', { username: TEST_ADMIN, challenge, signature: generateLoginKeyPair('ed25519').sign(challenge) })).status).to.equal(401);
    expect((await post(s, '/v1/auth/token', { username: TEST_ADMIN, challenge, signature: s.adminKey.sign(challenge) })).status).to.equal(401);
  });

  it('asks the login rate limit first, with the username and client address, and audits a refused attempt', async () => {
    const calls: [string, string][] = [];
    s = await startSecurityApp({
      rateLimits: {
        login: async (username, address) => {
          calls.push([username, address]);
          if (username === 'flood') throw new HfitError('RATE_LIMITED', 'too many logins', { retryAfterSeconds: 30 });
        },
        submit: async () => undefined,
      },
    });
    await challengeFor(s, 'someone');
    const limited = await post(s, '/v1/auth/token', { username: 'flood', challenge: 'x', signature: 'AAAA' });
    expect(limited.status).to.equal(429);
    expect(limited.headers.get('retry-after')).to.equal('30');
    expect((await post(s, '/v1/auth/challenge', { username: 'flood' })).status).to.equal(429);
    expect(calls).to.deep.equal([
      ['someone', '127.0.0.1'],
      ['flood', '127.0.0.1'],
      ['flood', '127.0.0.1'],
    ]);
    expect(s.audit.of('auth.login').map((e) => [e.actor, e.outcome, e.code])).to.deep.equal([['flood', 'failure', 'RATE_LIMITED']]);
  });

  it('logs out: the JWT is refused at once (on every instance), the logout is audited, and a static token is left alone', async () => {
    s = await startSecurityApp();
    const replica = await s.replica();
    const token = await s.adminToken();
    expect((await replica.fetch('/v1/whoami', { token })).status).to.equal(200);
    const out = await s.app.fetch('/v1/auth/logout', { method: 'POST', token });
    expect(out.status).to.equal(204);
    for (const app of [s.app, replica]) {
      const res = await app.fetch('/v1/whoami', { token });
      expect(res.status).to.equal(401);
      expect(res.headers.get('www-authenticate')).to.equal('Bearer realm="hfit", error="invalid_token"');
    }
    expect((await s.app.fetch('/v1/auth/logout', { method: 'POST', token })).status).to.equal(401);
    expect((await s.app.fetch('/v1/auth/logout', { method: 'POST' })).status, 'static token').to.equal(204);
    expect((await s.app.fetch('/v1/whoami')).status, 'static token still valid').to.equal(200);
    expect(s.audit.of('auth.logout').map((e) => [e.actor, e.via])).to.deep.equal([
      [TEST_ADMIN, 'jwt'],
      ['alice', 'static-token'],
    ]);
  });

  it('never writes a challenge, signature or token to the log or the audit trail', async () => {
    s = await startSecurityApp();
    const challenge = await challengeFor(s, TEST_ADMIN);
    const signature = s.adminKey.sign(challenge);
    const res = await post(s, '/v1/auth/token', { username: TEST_ADMIN, challenge, signature });
    const { token } = TokenResponseSchema.parse(await res.json());
    await s.app.fetch('/v1/whoami', { token });
    await s.app.fetch('/v1/auth/logout', { method: 'POST', token });
    const wrong = await challengeFor(s, TEST_ADMIN);
    await post(s, '/v1/auth/token', { username: TEST_ADMIN, challenge: wrong, signature: 'c2VjcmV0LXNpZ25hdHVyZQ' });
    const secrets = [challenge.split(':').pop()!, signature, token, token.split('.')[2]!, wrong.split(':').pop()!, 'c2VjcmV0LXNpZ25hdHVyZQ'];
    const logs = s.app.logs.text();
    const audit = JSON.stringify(s.audit.events);
    expect(logs).to.include('/v1/auth/token');
    for (const secret of secrets) {
      expect(logs, 'log').to.not.include(secret);
      expect(audit, 'audit').to.not.include(secret);
    }
  });
});
