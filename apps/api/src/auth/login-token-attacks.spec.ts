import { createHmac, createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { signJwt, signingKeyObjects, type JwtSigner } from '@hfit/auth';
import { generateLoginKeyPair } from '@hfit/auth/testing';
import { ChallengeResponseSchema, CreatedCiTokenSchema, JwksSchema } from '@hfit/contracts';
import { registerTestSecret } from '@hfit/contracts/testing';
import { expect } from 'chai';
import { startSecurityApp, TEST_ADMIN, type SecurityApp } from '../testing/security-app.js';
import type { TestApp } from '../testing/start-test-app.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The server's current signing key, read from the store as an attacker who stole nothing could not. */
async function serverSigner(s: SecurityApp): Promise<JwtSigner> {
  const key = (await s.fixture.security.store.read()).signingKeys.find((k) => k.retiredAt === undefined)!;
  return { kid: key.kid, alg: key.alg, privateKey: signingKeyObjects(key).privateKey };
}

/** The token generation of the app under attack (see {@link start}): real tokens carry it. */
let generation = '';

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: 'hfit', aud: 'hfit-api', sub: TEST_ADMIN, iat: now, exp: now + 600, jti: randomUUID(), gen: generation, ...overrides };
}

/** Starts the API and reads its token generation, which {@link claims} puts in every token. */
async function start(options?: Parameters<typeof startSecurityApp>[0]): Promise<SecurityApp> {
  const s = await startSecurityApp(options);
  generation = (await s.fixture.security.tokens.verify(await s.adminToken()))!.claims.gen!;
  return s;
}

/** Asserts the token is refused with 401 and an invalid_token challenge. */
async function expectRefused(app: TestApp, token: string, what: string): Promise<void> {
  const res = await app.fetch('/v1/whoami', { token });
  expect(res.status, what).to.equal(401);
  expect(res.headers.get('www-authenticate'), what).to.equal('Bearer realm="hfit", error="invalid_token"');
  expect(((await res.json()) as { code: string }).code, what).to.equal('UNAUTHENTICATED');
}

async function expectAccepted(app: TestApp, token: string, what: string): Promise<void> {
  expect((await app.fetch('/v1/whoami', { token })).status, what).to.equal(200);
}

function post(app: TestApp, path: string, body: unknown, token: string | null = null): Promise<Response> {
  return app.fetch(path, { method: 'POST', token, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

describe('login token attacks (each refused with 401 by the real API)', () => {
  let s: SecurityApp;
  afterEach(async () => {
    await s?.close();
  });

  it('accepts a token the harness signs with the server key (so the refusals below are meaningful)', async () => {
    s = await start();
    await expectAccepted(s.app, await signJwt(claims(), await serverSigner(s)), 'well-formed');
  });

  it('refuses alg "none", with or without a signature segment', async () => {
    s = await start();
    const { kid } = await serverSigner(s);
    for (const alg of ['none', 'None', 'NONE']) {
      const unsigned = `${b64({ alg, kid, typ: 'JWT' })}.${b64(claims())}`;
      await expectRefused(s.app, `${unsigned}.`, `${alg}, empty signature`);
      await expectRefused(s.app, `${unsigned}.AAAA`, `${alg}, junk signature`);
    }
  });

  it('refuses HS256 keyed with the server public key: its PEM, the raw JWK x bytes and the x text', async () => {
    s = await start();
    const signer = await serverSigner(s);
    const publicKey = createPublicKey(signer.privateKey);
    const x = publicKey.export({ format: 'jwk' }).x!;
    const secrets: [string, Buffer][] = [
      ['SPKI PEM', Buffer.from(publicKey.export({ type: 'spki', format: 'pem' }).toString())],
      ['raw x', Buffer.from(x, 'base64url')],
      ['x text', Buffer.from(x)],
    ];
    for (const [what, secret] of secrets) {
      const input = `${b64({ alg: 'HS256', kid: signer.kid, typ: 'JWT' })}.${b64(claims())}`;
      await expectRefused(s.app, `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`, what);
    }
  });

  it('refuses an algorithm swap: ES256 claimed for the EdDSA key', async () => {
    s = await start();
    const signer = await serverSigner(s);
    const token = (await signJwt(claims(), signer)).split('.');
    await expectRefused(s.app, `${b64({ alg: 'ES256', kid: signer.kid, typ: 'JWT' })}.${token[1]}.${token[2]}`, 'ES256 header');
  });

  it('refuses expired tokens, a wrong aud, a wrong iss, tokens issued in the future, and missing claims', async () => {
    s = await start();
    const signer = await serverSigner(s);
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(s.app, await signJwt(claims({ iat: now - 700, exp: now - 60 }), signer), 'expired');
    await expectRefused(s.app, await signJwt(claims({ aud: 'another-api' }), signer), 'wrong aud');
    await expectRefused(s.app, await signJwt(claims({ aud: ['another-api'] }), signer), 'wrong aud list');
    await expectRefused(s.app, await signJwt(claims({ iss: 'https://evil.example' }), signer), 'wrong iss');
    await expectRefused(s.app, await signJwt(claims({ iat: now + 3600, exp: now + 7200 }), signer), 'issued in the future');
    for (const claim of ['sub', 'jti', 'iat', 'exp', 'gen']) await expectRefused(s.app, await signJwt(claims({ [claim]: undefined }), signer), `no ${claim}`);
  });

  it('refuses an unknown kid, and a token signed by another key under the server kid', async () => {
    s = await start();
    const { kid } = await serverSigner(s);
    const other = generateKeyPairSync('ed25519').privateKey;
    await expectRefused(s.app, await signJwt(claims(), { kid: 'not-a-key', alg: 'EdDSA', privateKey: other }), 'unknown kid');
    await expectRefused(s.app, await signJwt(claims(), { kid, alg: 'EdDSA', privateKey: other }), 'foreign key, server kid');
  });

  it('refuses a tampered payload with the signature kept', async () => {
    s = await start();
    await s.app.fetch('/v1/admin/users', {
      method: 'POST',
      token: await s.adminToken(),
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'mallory', roles: ['reader'], keys: [] }),
    });
    const mallory = generateLoginKeyPair('ed25519');
    await s.fixture.security.users.addKey('mallory', mallory.authorizedKey, TEST_ADMIN);
    const [h, p, sig] = (await s.login('mallory', mallory)).split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    await expectRefused(s.app, `${h}.${b64({ ...payload, sub: TEST_ADMIN })}.${sig}`, 'sub changed');
    await expectRefused(s.app, `${h}.${b64({ ...payload, exp: Number(payload['exp']) + 86_400 })}.${sig}`, 'exp extended');
    await expectAccepted(s.app, `${h}.${p}.${sig}`, 'untouched');
  });

  it('refuses a replayed challenge, a challenge past its TTL, and a challenge issued for another user', async () => {
    s = await start({ unchecked: { challengeTtlSeconds: 1 } });
    const challenge = async (username: string) => ChallengeResponseSchema.parse(await (await post(s.app, '/v1/auth/challenge', { username })).json()).challenge;
    const login = (username: string, c: string) => post(s.app, '/v1/auth/token', { username, challenge: c, signature: s.adminKey.sign(c) });

    const once = await challenge(TEST_ADMIN);
    expect((await login(TEST_ADMIN, once)).status).to.equal(200);
    expect((await login(TEST_ADMIN, once)).status, 'replayed').to.equal(401);

    const stale = await challenge(TEST_ADMIN);
    await sleep(1_300);
    expect((await login(TEST_ADMIN, stale)).status, 'past its TTL').to.equal(401);

    // Another user's challenge signed with root's key: refused for root (the challenge names "ghost").
    expect((await login(TEST_ADMIN, await challenge('ghost'))).status, 'foreign').to.equal(401);
  });

  it('refuses a revoked CI token and an expired one', async () => {
    s = await start();
    const admin = await s.adminToken();
    const create = async (body: Record<string, unknown>) => {
      const created = CreatedCiTokenSchema.parse(await (await post(s.app, '/v1/admin/tokens', body, admin)).json());
      registerTestSecret(created.token);
      return created;
    };
    const revoked = await create({ name: 'deploy', role: 'tester' });
    await expectAccepted(s.app, revoked.token, 'CI token before revocation');
    expect((await s.app.fetch(`/v1/admin/tokens/${revoked.id}`, { method: 'DELETE', token: admin })).status).to.equal(200);
    await expectRefused(s.app, revoked.token, 'revoked CI token');

    const expiring = await create({ name: 'nightly', role: 'tester', expiresAt: new Date(Date.now() + 1_500).toISOString() });
    await expectAccepted(s.app, expiring.token, 'CI token before expiry');
    await sleep(1_700);
    await expectRefused(s.app, expiring.token, 'expired CI token');
    // Same id, wrong secret.
    await expectRefused(s.app, `${expiring.token.slice(0, -4)}AAAA`, 'CI token with a changed secret');
  });

  it("refuses a removed user's JWT at once on every instance, and a logged-out JWT", async () => {
    s = await start();
    const replica = await s.replica();
    const admin = await s.adminToken();
    const key = generateLoginKeyPair('ecdsa-p256');
    await post(s.app, '/v1/admin/users', { name: 'leaver', roles: ['reader'], keys: [key.authorizedKey] }, admin);
    const token = await s.login('leaver', key);
    await expectAccepted(replica, token, 'before removal');
    expect((await s.app.fetch('/v1/admin/users/leaver', { method: 'DELETE', token: admin })).status).to.equal(204);
    await expectRefused(s.app, token, 'removed user');
    await expectRefused(replica, token, 'removed user, other instance');
    // Re-created under the same name: tokens from before are still refused (iat has second resolution).
    await sleep(1_000);
    await post(s.app, '/v1/admin/users', { name: 'leaver', roles: ['reader'], keys: [key.authorizedKey] }, admin);
    await expectRefused(replica, token, 'token of the earlier user of that name');

    const other = await s.adminToken();
    expect((await s.app.fetch('/v1/auth/logout', { method: 'POST', token: other })).status).to.equal(204);
    await expectRefused(replica, other, 'logged out');
  });

  it('rotation: a token of the old key is accepted inside the grace period and refused after it; a token of the new key works at once on another instance', async () => {
    s = await start({ auth: { signingKeyGraceSeconds: 2 } });
    const replica = await s.replica();
    const old = await s.adminToken();
    await expectAccepted(replica, old, 'old key, before rotation');
    const rotated = await s.app.fetch('/v1/admin/signing-keys/rotate', { method: 'POST', token: old });
    expect(rotated.status).to.equal(200);
    const items = ((await rotated.json()) as { items: { kid: string; status: string }[] }).items;
    expect(items.map((k) => k.status)).to.deep.equal(['current', 'grace']);

    const fresh = await s.login(TEST_ADMIN, s.adminKey);
    expect(JSON.parse(Buffer.from(fresh.split('.')[0]!, 'base64url').toString())).to.include({ kid: items[0]!.kid });
    await expectAccepted(replica, fresh, 'new key on the other instance, at once');
    await expectAccepted(replica, old, 'old key inside the grace period');
    await expectAccepted(s.app, old, 'old key inside the grace period (rotating instance)');
    const during = JwksSchema.parse(await (await replica.fetch('/.well-known/jwks.json', { token: null })).json());
    expect(during.keys.map((k) => k.kid)).to.deep.equal(items.map((k) => k.kid));

    await sleep(2_200);
    await expectRefused(replica, old, 'old key after the grace period');
    await expectRefused(s.app, old, 'old key after the grace period (rotating instance)');
    await expectAccepted(replica, fresh, 'new key after the grace period');
    const after = JwksSchema.parse(await (await replica.fetch('/.well-known/jwks.json', { token: null })).json());
    expect(after.keys.map((k) => k.kid)).to.deep.equal([items[0]!.kid]);
  });
});
