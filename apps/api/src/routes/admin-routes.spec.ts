import { generateLoginKeyPair } from '@hfit/auth/testing';
import { CiTokenListSchema, CiTokenViewSchema, CreatedCiTokenSchema, PublicKeyViewSchema, SigningKeyListSchema, UserListSchema, UserViewSchema } from '@hfit/contracts';
import { registerTestSecret } from '@hfit/contracts/testing';
import { expect } from 'chai';
import { startSecurityApp, TEST_ADMIN, type SecurityApp } from '../testing/security-app.js';
import { TEST_TOKENS } from '../testing/start-test-app.js';

interface Call {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
}

describe('admin routes (/v1/admin)', () => {
  let s: SecurityApp;
  let admin: string;
  afterEach(async () => {
    await s?.close();
  });

  /** Calls the API as `token` (default: the config admin's JWT). */
  async function call(c: Call, token: string = admin): Promise<Response> {
    return s.app.fetch(c.path, {
      method: c.method,
      token,
      ...(c.body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(c.body) }),
    });
  }

  async function start(): Promise<void> {
    s = await startSecurityApp();
    admin = await s.adminToken();
  }

  it('answers 403 FORBIDDEN on every admin route to a user without the admin action, and audits the denied changes', async () => {
    await start();
    const key = generateLoginKeyPair('ed25519');
    const routes: Call[] = [
      { method: 'GET', path: '/v1/admin/users' },
      { method: 'POST', path: '/v1/admin/users', body: { name: 'eve', roles: ['admin'] } },
      { method: 'GET', path: `/v1/admin/users/${TEST_ADMIN}` },
      { method: 'PATCH', path: `/v1/admin/users/${TEST_ADMIN}`, body: { roles: [] } },
      { method: 'DELETE', path: `/v1/admin/users/${TEST_ADMIN}` },
      { method: 'POST', path: `/v1/admin/users/${TEST_ADMIN}/keys`, body: { publicKey: key.authorizedKey } },
      { method: 'DELETE', path: `/v1/admin/users/${TEST_ADMIN}/keys/${encodeURIComponent(s.adminKey.fingerprint)}` },
      { method: 'GET', path: '/v1/admin/tokens' },
      { method: 'POST', path: '/v1/admin/tokens', body: { name: 'x', role: 'admin' } },
      { method: 'DELETE', path: '/v1/admin/tokens/0123456789ab' },
      { method: 'GET', path: '/v1/admin/signing-keys' },
      { method: 'POST', path: '/v1/admin/signing-keys/rotate' },
    ];
    for (const route of routes) {
      const res = await call(route, TEST_TOKENS.alice);
      expect(res.status, `${route.method} ${route.path}`).to.equal(403);
      expect(((await res.json()) as { code: string }).code).to.equal('FORBIDDEN');
    }
    // Also for a key-pair user with a non-admin role.
    await call({ method: 'POST', path: '/v1/admin/users', body: { name: 'reader1', roles: ['reader'], keys: [key.authorizedKey] } });
    expect((await call({ method: 'GET', path: '/v1/admin/users' }, await s.login('reader1', key))).status).to.equal(403);
    const denied = s.audit.events.filter((e) => e.outcome === 'denied');
    expect(denied).to.have.length(8);
    expect(denied.every((e) => e.actor === 'alice' && e.code === 'FORBIDDEN')).to.equal(true);
  });

  it('manages users: create (201, Location), list, get, patch, add and remove keys, delete; every change audited', async () => {
    await start();
    const k1 = generateLoginKeyPair('rsa-2048', 'carol@laptop');
    const k2 = generateLoginKeyPair('ecdsa-p384');
    const created = await call({ method: 'POST', path: '/v1/admin/users', body: { name: 'carol', roles: ['tester'], keys: [k1.authorizedKey] } });
    expect(created.status).to.equal(201);
    expect(created.headers.get('location')).to.equal('/v1/admin/users/carol');
    const view = UserViewSchema.parse(await created.json());
    expect(view).to.deep.include({ name: 'carol', roles: ['tester'], origin: 'store', createdBy: TEST_ADMIN });
    expect(view.keys.map((k) => [k.fingerprint, k.type, k.bits, k.comment])).to.deep.equal([[k1.fingerprint, 'rsa', 2048, 'carol@laptop']]);

    const list = UserListSchema.parse(await (await call({ method: 'GET', path: '/v1/admin/users' })).json());
    expect(list.items.map((u) => [u.name, u.origin, u.roles])).to.deep.equal([
      [TEST_ADMIN, 'config', ['admin']],
      ['carol', 'store', ['tester']],
    ]);
    expect(JSON.stringify(list)).to.not.include(k1.authorizedKey.split(' ')[1]!);

    const patched = await call({ method: 'PATCH', path: '/v1/admin/users/carol', body: { roles: ['reader'], grants: [{ actions: ['build'], packages: ['order-*'] }] } });
    expect(patched.status).to.equal(200);
    expect(UserViewSchema.parse(await patched.json())).to.deep.include({ roles: ['reader'] });

    const added = await call({ method: 'POST', path: '/v1/admin/users/carol/keys', body: { publicKey: k2.pem } });
    expect(added.status).to.equal(201);
    expect(PublicKeyViewSchema.parse(await added.json())).to.include({ fingerprint: k2.fingerprint, type: 'ecdsa', bits: 384 });
    expect((await call({ method: 'POST', path: '/v1/admin/users/carol/keys', body: { publicKey: k2.authorizedKey } })).status, 'same key again').to.equal(409);

    // Both keys log in; the policy follows the patch at once.
    const token = await s.login('carol', k2);
    await s.login('carol', k1);
    expect((await call({ method: 'GET', path: '/v1/whoami' }, token)).status).to.equal(200);

    // Fingerprints hold "/" and "+": URL-encoded in the path.
    const removed = await call({ method: 'DELETE', path: `/v1/admin/users/carol/keys/${encodeURIComponent(k1.fingerprint)}` });
    expect(removed.status).to.equal(204);
    const missing = await call({ method: 'DELETE', path: `/v1/admin/users/carol/keys/${encodeURIComponent(k1.fingerprint)}` });
    expect(missing.status).to.equal(404);
    expect(((await missing.json()) as { code: string }).code).to.equal('KEY_NOT_FOUND');
    const after = UserViewSchema.parse(await (await call({ method: 'GET', path: '/v1/admin/users/carol' })).json());
    expect(after.keys.map((k) => k.fingerprint)).to.deep.equal([k2.fingerprint]);

    expect((await call({ method: 'DELETE', path: '/v1/admin/users/carol' })).status).to.equal(204);
    expect((await call({ method: 'GET', path: '/v1/admin/users/carol' })).status).to.equal(404);
    expect((await call({ method: 'GET', path: '/v1/whoami' }, token)).status, "removed user's token").to.equal(401);

    const changes = s.audit.events.filter((e) => e.action === 'admin.user' || e.action === 'admin.key');
    expect(changes.map((e) => [e.action, e.outcome, e.target, e.detail])).to.deep.equal([
      ['admin.user', 'success', 'carol', 'created'],
      ['admin.user', 'success', 'carol', 'changed roles, grants'],
      ['admin.key', 'success', 'carol', 'added'],
      ['admin.key', 'failure', 'carol', undefined],
      ['admin.key', 'success', 'carol', `removed ${k1.fingerprint}`],
      ['admin.key', 'failure', 'carol', undefined],
      ['admin.user', 'success', 'carol', 'removed'],
    ]);
    expect(changes.every((e) => e.actor === TEST_ADMIN && e.via === 'jwt')).to.equal(true);
  });

  it('refuses to change, remove or shadow a config admin, unknown roles, ci. names, bad keys and taken names', async () => {
    await start();
    const expectProblem = async (c: Call, status: number, code: string, field?: string) => {
      const res = await call(c);
      const body = (await res.json()) as { code: string; field?: string; detail: string };
      expect([res.status, body.code], `${c.method} ${c.path}: ${body.detail}`).to.deep.equal([status, code]);
      if (field !== undefined) expect(body.field).to.equal(field);
      return body;
    };
    await expectProblem({ method: 'DELETE', path: `/v1/admin/users/${TEST_ADMIN}` }, 409, 'USER_IMMUTABLE');
    await expectProblem({ method: 'PATCH', path: `/v1/admin/users/${TEST_ADMIN}`, body: { roles: [] } }, 409, 'USER_IMMUTABLE');
    await expectProblem({ method: 'POST', path: `/v1/admin/users/${TEST_ADMIN}/keys`, body: { publicKey: generateLoginKeyPair('ed25519').authorizedKey } }, 409, 'USER_IMMUTABLE');
    await expectProblem({ method: 'DELETE', path: `/v1/admin/users/${TEST_ADMIN}/keys/${encodeURIComponent(s.adminKey.fingerprint)}` }, 409, 'USER_IMMUTABLE');
    await expectProblem({ method: 'POST', path: '/v1/admin/users', body: { name: TEST_ADMIN } }, 409, 'USER_EXISTS');
    await expectProblem({ method: 'POST', path: '/v1/admin/users', body: { name: 'ci.deploy' } }, 400, 'REQUEST_INVALID', 'body.name');
    await expectProblem({ method: 'POST', path: '/v1/admin/users', body: { name: 'dave', roles: ['tester', 'wizard'] } }, 422, 'ROLE_UNKNOWN', 'body.roles[1]');
    const bad = await expectProblem({ method: 'POST', path: '/v1/admin/users', body: { name: 'dave', keys: ['ssh-dss AAAAB3NzaC1kc3M='] } }, 422, 'KEY_INVALID', 'body.keys[0]');
    expect(bad.detail).to.include('DSA').and.to.include('ssh-ed25519');
    expect((await call({ method: 'POST', path: '/v1/admin/users', body: { name: 'dave' } })).status).to.equal(201);
    await expectProblem({ method: 'POST', path: '/v1/admin/users', body: { name: 'dave' } }, 409, 'USER_EXISTS');
    await expectProblem({ method: 'PATCH', path: '/v1/admin/users/nobody', body: { roles: [] } }, 404, 'USER_NOT_FOUND');
    // The config admin is still there and still logs in.
    expect((await s.login(TEST_ADMIN, s.adminKey)).split('.')).to.have.length(3);
  });

  it('creates a CI token shown once, lists it without secret, authenticates with it as ci.<name>, and revokes it (401 after)', async () => {
    await start();
    const res = await call({ method: 'POST', path: '/v1/admin/tokens', body: { name: 'deploy', role: 'tester' } });
    expect(res.status).to.equal(201);
    expect(res.headers.get('cache-control')).to.equal('no-store');
    const created = CreatedCiTokenSchema.parse(await res.json());
    registerTestSecret(created.token);
    expect(created.token).to.match(/^hfit_ci_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created).to.include({ name: 'deploy', user: 'ci.deploy', role: 'tester', status: 'active', createdBy: TEST_ADMIN });
    expect(created.token.startsWith(`hfit_ci_${created.id}_`)).to.equal(true);

    const listed = await (await call({ method: 'GET', path: '/v1/admin/tokens' })).text();
    const secret = created.token.slice(`hfit_ci_${created.id}_`.length);
    expect(listed).to.not.include(secret);
    expect(CiTokenListSchema.parse(JSON.parse(listed)).items.map((t) => [t.id, t.status])).to.deep.equal([[created.id, 'active']]);
    // Not stored either: only its sha256.
    const stored = JSON.stringify(await s.fixture.security.store.read());
    expect(stored).to.not.include(secret);

    const who = await call({ method: 'GET', path: '/v1/whoami' }, created.token);
    expect(who.status).to.equal(200);
    expect(await who.json()).to.deep.include({ user: 'ci.deploy', via: 'ci-token' });

    const dup = await call({ method: 'POST', path: '/v1/admin/tokens', body: { name: 'deploy', role: 'tester' } });
    expect(dup.status).to.equal(409);
    expect(((await dup.json()) as { code: string }).code).to.equal('TOKEN_EXISTS');
    expect((await call({ method: 'POST', path: '/v1/admin/tokens', body: { name: 'other', role: 'nope' } })).status).to.equal(422);
    expect((await call({ method: 'POST', path: '/v1/admin/tokens', body: { name: 'old', role: 'tester', expiresAt: '2020-01-01T00:00:00Z' } })).status).to.equal(400);

    const revoked = await call({ method: 'DELETE', path: `/v1/admin/tokens/${created.id}` });
    expect(revoked.status).to.equal(200);
    expect(CiTokenViewSchema.parse(await revoked.json())).to.include({ status: 'revoked', revokedBy: TEST_ADMIN });
    expect((await call({ method: 'GET', path: '/v1/whoami' }, created.token)).status).to.equal(401);
    expect((await call({ method: 'DELETE', path: '/v1/admin/tokens/ffffffffffff' })).status).to.equal(404);
    // The name is free again once revoked.
    expect((await call({ method: 'POST', path: '/v1/admin/tokens', body: { name: 'deploy', role: 'tester' } })).status).to.equal(201);
    expect(s.audit.of('admin.token').map((e) => [e.outcome, e.target])).to.deep.equal([
      ['success', 'ci.deploy'],
      ['failure', 'ci.deploy'],
      ['failure', 'ci.other'],
      ['failure', 'ci.old'],
      ['success', created.id],
      ['failure', 'ffffffffffff'],
      ['success', 'ci.deploy'],
    ]);
  });

  it('lists and rotates signing keys (public data only), audited', async () => {
    await start();
    const before = SigningKeyListSchema.parse(await (await call({ method: 'GET', path: '/v1/admin/signing-keys' })).json()).items;
    expect(before.map((k) => [k.status, k.alg])).to.deep.equal([['current', 'EdDSA']]);
    const rotated = await call({ method: 'POST', path: '/v1/admin/signing-keys/rotate' });
    const after = SigningKeyListSchema.parse(await rotated.json()).items;
    expect(after.map((k) => k.status)).to.deep.equal(['current', 'grace']);
    expect(after[1]).to.include({ kid: before[0]!.kid });
    expect(Date.parse(after[1]!.validUntil!) - Date.parse(after[1]!.retiredAt!)).to.equal(3600_000);
    expect(JSON.stringify(after)).to.not.include('"d"');
    expect(s.audit.of('admin.signing-key').map((e) => e.detail)).to.deep.equal([`rotated: new current key ${after[0]!.kid}`]);
  });

  it('keeps users, CI tokens and signing keys when every Redis key of the prefix is deleted; login tokens of before are refused', async () => {
    await start();
    const key = generateLoginKeyPair('ed25519');
    await call({ method: 'POST', path: '/v1/admin/users', body: { name: 'erin', roles: ['tester'], keys: [key.authorizedKey] } });
    const erin = await s.login('erin', key);
    const ci = CreatedCiTokenSchema.parse(await (await call({ method: 'POST', path: '/v1/admin/tokens', body: { name: 'survivor', role: 'tester' } })).json());
    registerTestSecret(ci.token);
    const replica = await s.replica();
    expect(await s.fixture.flushRedis()).to.be.greaterThan(0);
    expect((await s.app.fetch('/v1/whoami', { token: admin })).status, 'admin JWT of before').to.equal(401);
    admin = await s.adminToken();

    for (const app of [s.app, replica]) {
      // The logged-out list went with Redis: every login token of before is refused, so none comes back to life.
      expect((await app.fetch('/v1/whoami', { token: erin })).status, 'JWT').to.equal(401);
      expect((await app.fetch('/v1/whoami', { token: ci.token })).status, 'CI token').to.equal(200);
      const users = UserListSchema.parse(await (await app.fetch('/v1/admin/users', { token: admin })).json());
      expect(users.items.map((u) => u.name)).to.deep.equal([TEST_ADMIN, 'erin']);
    }
    // A change after the loss reaches the other instance at once.
    expect((await call({ method: 'DELETE', path: `/v1/admin/tokens/${ci.id}` })).status).to.equal(200);
    expect((await replica.fetch('/v1/whoami', { token: ci.token })).status).to.equal(401);
    const again = await s.login('erin', key, replica);
    for (const app of [s.app, replica]) expect((await app.fetch('/v1/whoami', { token: again })).status, 'new JWT').to.equal(200);
  });

  it('documents every auth and admin route in the OpenAPI document', async () => {
    await start();
    const doc = (await (await s.app.fetch('/openapi.json', { token: null })).json()) as { paths: Record<string, Record<string, unknown>> };
    for (const path of [
      '/v1/auth/challenge',
      '/v1/auth/token',
      '/v1/auth/logout',
      '/.well-known/jwks.json',
      '/v1/admin/users',
      '/v1/admin/users/{name}',
      '/v1/admin/users/{name}/keys',
      '/v1/admin/users/{name}/keys/{fingerprint}',
      '/v1/admin/tokens',
      '/v1/admin/tokens/{id}',
      '/v1/admin/signing-keys',
      '/v1/admin/signing-keys/rotate',
    ]) {
      expect(doc.paths, path).to.have.property(path);
    }
  });
});
