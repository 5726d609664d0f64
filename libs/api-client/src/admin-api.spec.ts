import { expect } from 'chai';
import { createApiClient, type ApiClient } from './api-client.js';
import { parseRetryAfter } from './api-error.js';
import { startRecordingServer, type RecordingServer } from './testing/recording-server.js';

const AT = '2024-05-01T10:00:00.000Z';
const KEY = { fingerprint: 'SHA256:abc/def+g', type: 'ed25519', bits: 256, comment: 'bob@laptop', addedAt: AT };
const USER = { name: 'bob', roles: ['dev'], grants: [{ actions: ['browse'], tables: ['shop/*/*'], volumes: [], packages: [], builds: [], templates: [] }], keys: [KEY], origin: 'store' };
const TOKEN = { id: 'tok1', name: 'deploy', user: 'ci.deploy', role: 'dev', createdAt: AT, createdBy: 'admin', status: 'active' };

function event(n: number) {
  return { id: `${String(1714557600000 + n).padStart(13, '0')}-r${n}`, time: AT, action: 'auth.login', outcome: 'success', actor: 'bob' };
}

describe('AdminApi: request shapes and answers', () => {
  let server: RecordingServer;
  let client: ApiClient;

  beforeEach(async () => {
    server = await startRecordingServer();
    client = createApiClient({ baseUrl: server.url, token: 'admin-token' });
  });
  afterEach(async () => {
    await server.close();
  });

  it('manages users: list, create (201), get, patch, delete (204), with names as encoded path segments', async () => {
    server.reply = (r) => {
      if (r.method === 'GET' && r.path === '/v1/admin/users') return { status: 200, json: { items: [USER] } };
      if (r.method === 'POST') return { status: 201, json: USER };
      if (r.method === 'DELETE') return { status: 204 };
      return { status: 200, json: USER };
    };
    expect(await client.admin.listUsers()).to.deep.equal([USER]);
    expect(await client.admin.createUser({ name: 'bob', roles: ['dev'], keys: ['ssh-ed25519 AAAA bob'] })).to.deep.equal(USER);
    expect((await client.admin.getUser('bob@example.com')).name).to.equal('bob');
    await client.admin.updateUser('bob', { roles: ['dev', 'ops'] });
    await client.admin.deleteUser('bob');
    expect(server.requests.map((r) => [r.method, r.path, r.json])).to.deep.equal([
      ['GET', '/v1/admin/users', undefined],
      ['POST', '/v1/admin/users', { name: 'bob', roles: ['dev'], keys: ['ssh-ed25519 AAAA bob'] }],
      ['GET', '/v1/admin/users/bob%40example.com', undefined],
      ['PATCH', '/v1/admin/users/bob', { roles: ['dev', 'ops'] }],
      ['DELETE', '/v1/admin/users/bob', undefined],
    ]);
    expect(server.requests.every((r) => r.headers['authorization'] === 'Bearer admin-token')).to.equal(true);
  });

  it('adds a key (201) and removes one by its SHA256 fingerprint, percent-encoded', async () => {
    server.reply = (r) => (r.method === 'POST' ? { status: 201, json: KEY } : { status: 204 });
    expect(await client.admin.addKey('bob', 'ssh-ed25519 AAAA bob@laptop')).to.deep.equal(KEY);
    await client.admin.removeKey('bob', 'SHA256:abc/def+g');
    expect(server.requests.map((r) => [r.method, r.path, r.json])).to.deep.equal([
      ['POST', '/v1/admin/users/bob/keys', { publicKey: 'ssh-ed25519 AAAA bob@laptop' }],
      ['DELETE', '/v1/admin/users/bob/keys/SHA256%3Aabc%2Fdef%2Bg', undefined],
    ]);
  });

  it('creates (201), lists and revokes CI tokens; lists and rotates signing keys', async () => {
    const signing = { items: [{ kid: 'k2', alg: 'EdDSA', createdAt: AT, status: 'current' }, { kid: 'k1', alg: 'EdDSA', createdAt: AT, status: 'grace', retiredAt: AT, validUntil: AT }] };
    server.reply = (r) => {
      if (r.path === '/v1/admin/tokens' && r.method === 'POST') return { status: 201, json: { ...TOKEN, token: 'hfit_ci_secret' } };
      if (r.path === '/v1/admin/tokens') return { status: 200, json: { items: [TOKEN] } };
      if (r.path.startsWith('/v1/admin/tokens/')) return { status: 200, json: { ...TOKEN, status: 'revoked', revokedAt: AT, revokedBy: 'admin' } };
      return { status: 200, json: signing };
    };
    expect((await client.admin.createToken({ name: 'deploy', role: 'dev', expiresAt: AT })).token).to.equal('hfit_ci_secret');
    expect(await client.admin.listTokens()).to.deep.equal([TOKEN]);
    expect((await client.admin.revokeToken('tok1')).status).to.equal('revoked');
    expect((await client.admin.signingKeys()).map((k) => k.status)).to.deep.equal(['current', 'grace']);
    expect(await client.admin.rotateSigningKey()).to.have.length(2);
    expect(server.requests.map((r) => [r.method, r.path, r.json])).to.deep.equal([
      ['POST', '/v1/admin/tokens', { name: 'deploy', role: 'dev', expiresAt: AT }],
      ['GET', '/v1/admin/tokens', undefined],
      ['DELETE', '/v1/admin/tokens/tok1', undefined],
      ['GET', '/v1/admin/signing-keys', undefined],
      ['POST', '/v1/admin/signing-keys/rotate', undefined],
    ]);
  });

  it('refuses a 200 where a create must answer 201', async () => {
    server.reply = () => ({ status: 200, json: USER });
    const e = await client.admin.createUser({ name: 'bob' }).catch((x: unknown) => x);
    expect((e as Error).name).to.equal('ApiResponseInvalidError');
  });

  it('reads the audit trail one page at a time, or follows nextCursor until max events', async () => {
    const all = Array.from({ length: 7 }, (_, i) => event(i));
    server.reply = (r) => {
      const start = Number(r.query.get('cursor') ?? '0');
      const limit = Number(r.query.get('limit') ?? '100');
      const items = all.slice(start, start + limit);
      return { status: 200, json: { items, ...(start + limit < all.length ? { nextCursor: String(start + limit) } : {}) } };
    };
    const page = await client.admin.audit({ user: 'bob', action: 'auth.login', since: AT, limit: 3 });
    expect(page.items).to.have.length(3);
    expect(page.nextCursor).to.equal('3');
    expect(Object.fromEntries(server.requests[0]!.query)).to.deep.equal({ user: 'bob', action: 'auth.login', since: AT, limit: '3' });
    server.requests.length = 0;
    const pages: number[] = [];
    const got = [];
    for await (const e of client.admin.auditEvents({ limit: 2 }, { max: 5, onPage: (p) => pages.push(p.items.length) })) got.push(e.id);
    expect(got).to.deep.equal(all.slice(0, 5).map((e) => e.id));
    expect(pages).to.deep.equal([2, 2, 1]);
    expect(server.requests.map((r) => [r.query.get('cursor'), r.query.get('limit')])).to.deep.equal([
      [null, '2'],
      ['2', '2'],
      ['4', '1'],
    ]);
    const everything = [];
    for await (const e of client.admin.auditEvents()) everything.push(e);
    expect(everything).to.have.length(7);
  });

  it('verifies the audit trail, since a UTC day or all of it', async () => {
    const answer = { ok: false, files: [{ file: 'audit-2024-05-01.h.jsonl', lines: 3, writers: 1, ok: false, problems: [{ message: 'the last line of the chain was removed' }] }], missing: [] };
    server.reply = () => ({ status: 200, json: answer });
    expect(await client.admin.verifyAudit({ since: '2024-05-01' })).to.deep.equal(answer);
    expect(await client.admin.verifyAudit()).to.deep.equal(answer);
    expect(server.requests.map((r) => [r.method, r.path, Object.fromEntries(r.query)])).to.deep.equal([
      ['GET', '/v1/admin/audit/verify', { since: '2024-05-01' }],
      ['GET', '/v1/admin/audit/verify', {}],
    ]);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2024-05-01T10:00:00Z');
    expect(parseRetryAfter('30', now)).to.equal(30);
    expect(parseRetryAfter('Wed, 01 May 2024 10:00:42 GMT', now)).to.equal(42);
    expect(parseRetryAfter('Wed, 01 May 2024 09:00:00 GMT', now)).to.equal(0);
    expect(parseRetryAfter('soon', now)).to.equal(undefined);
    expect(parseRetryAfter(null, now)).to.equal(undefined);
  });
});
