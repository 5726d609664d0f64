import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startRecordingServer, type RecordedRequest, type RecordingServer, type StubReply } from '@hfit/api-client/testing';
import { expect } from 'chai';
import { sshKeygen, sshKeygenFingerprint, type TestKeyFile } from '../../testing/key-files.js';
import { runCommand } from '../../testing/run-command.js';
import { tempHome, type TempHome } from '../../testing/temp-home.js';
import AdminAudit from './audit/index.js';
import AdminAuditVerify from './audit/verify.js';
import AdminKeysRm from './keys/rm.js';
import AdminSigningKeyRotate from './signing-key/rotate.js';
import AdminTokensCreate from './tokens/create.js';
import AdminUsersAdd from './users/add.js';
import AdminUsersSet from './users/set.js';

const AT = '2024-05-01T10:00:00.000Z';
const USER = { name: 'bob', roles: ['dev'], grants: [], keys: [], origin: 'store', createdAt: AT, createdBy: 'root' };

const VERIFICATION = {
  ok: false,
  files: [
    { file: 'audit-2024-04-30.api-1.jsonl', lines: 1, writers: 1, ok: true, problems: [] },
    { file: 'audit-2024-05-01.api-1.jsonl', lines: 40, writers: 2, ok: false, problems: [{ line: 7, message: 'hash mismatch: the line was changed (writer api-1:7:ab, seq 4)' }, { message: 'writer api-1:9:cd: the last line of the chain was removed' }] },
  ],
  missing: [{ file: 'audit-2024-05-01.api-2.jsonl', writers: ['api-2:3:ef'], message: 'it was deleted, or written on a host with its own audit.dir' }],
};

function event(n: number) {
  return { id: `${1714557600000 + n}-r${n}`, time: AT, action: 'auth.login', outcome: 'success', actor: 'bob', via: 'key-signature', clientIp: '127.0.0.1' };
}

/** A stub of `/v1/admin` answering what each route answers, with paged audit events. */
function adminServer(events: readonly ReturnType<typeof event>[]) {
  return (r: RecordedRequest): StubReply => {
    if (r.path === '/v1/admin/users' && r.method === 'POST') {
      const { name, roles, grants } = r.json as { name: string; roles: string[]; grants: unknown[] };
      return { status: 201, json: { ...USER, name, roles, grants } };
    }
    if (r.path.startsWith('/v1/admin/users/') && r.method === 'PATCH') return { status: 200, json: { ...USER, ...(r.json as object) } };
    if (r.path.startsWith('/v1/admin/users/') && r.method === 'DELETE') return { status: 204 };
    if (r.path === '/v1/admin/tokens') {
      const body = r.json as { name: string; role: string; expiresAt?: string };
      return { status: 201, json: { id: 'tok-1', name: body.name, user: `ci.${body.name}`, role: body.role, createdAt: AT, createdBy: 'root', status: 'active', token: 'hfit_ci_s3cret', ...(body.expiresAt === undefined ? {} : { expiresAt: body.expiresAt }) } };
    }
    if (r.path === '/v1/admin/signing-keys/rotate') {
      return { status: 200, json: { items: [{ kid: 'k2', alg: 'EdDSA', createdAt: AT, status: 'current' }, { kid: 'k1', alg: 'EdDSA', createdAt: AT, status: 'grace', retiredAt: AT, validUntil: '2024-05-01T11:00:00.000Z' }] } };
    }
    if (r.path === '/v1/admin/audit/verify') return { status: 200, json: VERIFICATION };
    if (r.path === '/v1/admin/audit') {
      const start = Number(r.query.get('cursor') ?? '0');
      // Pages of at most 100, whatever was asked: the CLI must follow the cursor.
      const limit = Math.min(Number(r.query.get('limit')), 100);
      return { status: 200, json: { items: events.slice(start, start + limit), ...(start + limit < events.length ? { nextCursor: String(start + limit) } : {}) } };
    }
    return { status: 404, json: { type: 't', title: 't', status: 404, detail: 'no such endpoint', code: 'ROUTE_NOT_FOUND' } };
  };
}

describe('hfit admin commands: what they send and print (stub API)', () => {
  let home: TempHome;
  let dir: string;
  let server: RecordingServer;
  let env: Record<string, string | undefined>;
  let key: TestKeyFile;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hfit-cli-admin-stub-'));
    key = await sshKeygen(dir, { type: 'ed25519' });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    home = await tempHome();
    server = await startRecordingServer(adminServer(Array.from({ length: 250 }, (_, i) => event(i))));
    env = { ...home.env, HFIT_SERVER: server.url, HFIT_TOKEN: 'admin-token' };
  });
  afterEach(async () => {
    await server.close();
    await home.dispose();
  });

  it('users add sends roles (repeated or comma-separated), grants from the file and key texts', async () => {
    const grants = path.join(dir, 'g.yaml');
    await writeFile(grants, '- actions: [browse]\n  tables: ["a/b/*"]\n');
    const run = await runCommand(AdminUsersAdd, ['bob', '--role', 'dev,ops', '--role', 'audit', '--key', `${key.path}.pub`, '--key', key.publicKey, '--grant-file', grants], { env });
    expect(run.exitCode, run.stderr).to.equal(0);
    expect(server.requests.map((r) => [r.method, r.path, r.headers['authorization']])).to.deep.equal([['POST', '/v1/admin/users', 'Bearer admin-token']]);
    expect(server.requests[0]!.json).to.deep.equal({
      name: 'bob',
      roles: ['dev', 'ops', 'audit'],
      grants: [{ actions: ['browse'], tables: ['a/b/*'], volumes: [], packages: [], builds: [], templates: [] }],
      keys: [key.publicKey, key.publicKey],
    });
  });

  it('users set sends only what is given; nothing given is a usage error', async () => {
    await runCommand(AdminUsersSet, ['bob', '--clear-roles'], { env });
    await runCommand(AdminUsersSet, ['bob@example.com', '--role', 'dev'], { env });
    expect(server.requests.map((r) => [r.method, r.path, r.json])).to.deep.equal([
      ['PATCH', '/v1/admin/users/bob', { roles: [] }],
      ['PATCH', '/v1/admin/users/bob%40example.com', { roles: ['dev'] }],
    ]);
    const none = await runCommand(AdminUsersSet, ['bob'], { env });
    expect(none.exitCode).to.equal(2);
    expect(none.stderr).to.equal('hfit: nothing to change: give --role, --clear-roles or --grant-file (USAGE)\n');
    const both = await runCommand(AdminUsersSet, ['bob', '--role', 'x', '--clear-roles'], { env });
    expect(both.exitCode).to.equal(2);
  });

  it('keys rm takes a fingerprint or the public key file, and encodes it', async () => {
    await runCommand(AdminKeysRm, ['bob', `${key.path}.pub`], { env });
    const fingerprint = await sshKeygenFingerprint(`${key.path}.pub`);
    expect(server.requests[0]!.path).to.equal(`/v1/admin/users/bob/keys/${encodeURIComponent(fingerprint)}`);
  });

  it('tokens create turns --expires into ISO, prints the token once on stdout and the warning on stderr', async () => {
    const before = Date.now();
    const run = await runCommand(AdminTokensCreate, ['deploy', '--role', 'builder', '--expires', '12h'], { env });
    expect(run.exitCode, run.stderr).to.equal(0);
    const sent = server.requests[0]!.json as { expiresAt: string };
    expect(Date.parse(sent.expiresAt) - before).to.be.within(12 * 3_600_000 - 1000, 12 * 3_600_000 + 5000);
    expect(run.stdout).to.equal(`created CI token deploy (id tok-1, acts as ci.deploy, role builder, expires ${sent.expiresAt}):\nhfit_ci_s3cret\n`);
    expect(run.stderr).to.equal('hfit: copy the token now: it will not be shown again\n');
    const json = await runCommand(AdminTokensCreate, ['nightly', '--role', 'builder', '--json'], { env });
    expect(json.json()).to.deep.include({ token: 'hfit_ci_s3cret', user: 'ci.nightly' });
    expect(server.requests[1]!.json).to.deep.equal({ name: 'nightly', role: 'builder' });
  });

  it('audit follows nextCursor until --limit, as a table, NDJSON or one JSON document', async () => {
    const table = await runCommand(AdminAudit, ['--limit', '120', '--since', '2024-04-01', '--user', 'bob', '--action', 'auth.login'], { env });
    expect(table.exitCode, table.stderr).to.equal(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).to.match(/^TIME +ACTION +OUTCOME +ACTOR +VIA +TARGET +DETAIL$/);
    expect(lines).to.have.length(1 + 120 + 1);
    expect(lines.at(-1)).to.equal('120 events (--limit 120 reached)');
    expect(server.requests.map((r) => Object.fromEntries(r.query))).to.deep.equal([
      { user: 'bob', action: 'auth.login', since: '2024-04-01T00:00:00.000Z', limit: '120' },
      { user: 'bob', action: 'auth.login', since: '2024-04-01T00:00:00.000Z', limit: '20', cursor: '100' },
    ]);
    server.requests.length = 0;
    const all = await runCommand(AdminAudit, ['--limit', '100000', '--format', 'ndjson'], { env });
    expect(all.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).to.have.length(250);
    expect(server.requests.map((r) => r.query.get('cursor'))).to.deep.equal([null, '100', '200']);
    const json = await runCommand(AdminAudit, ['--limit', '3', '--json'], { env });
    expect(json.json<{ events: unknown[]; limitReached: boolean }>()).to.deep.include({ limitReached: true });
    expect(json.json<{ events: unknown[] }>().events).to.have.length(3);
  });

  it('audit verify prints one line per file, the problems and missing files, and exits 4; --since sends the UTC day', async () => {
    const run = await runCommand(AdminAuditVerify, ['--since', '2024-05-01T23:30:00+02:00'], { env });
    expect(run.exitCode).to.equal(4);
    expect(run.stdout).to.equal(
      [
        'ok      audit-2024-04-30.api-1.jsonl  1 line, 1 writer',
        'BROKEN  audit-2024-05-01.api-1.jsonl  40 lines, 2 writers',
        '  line 7: hash mismatch: the line was changed (writer api-1:7:ab, seq 4)',
        '  writer api-1:9:cd: the last line of the chain was removed',
        'MISSING audit-2024-05-01.api-2.jsonl',
        '  it was deleted, or written on a host with its own audit.dir',
        '  writers: api-2:3:ef',
        '2 files checked, 1 broken, 1 missing',
        '',
      ].join('\n'),
    );
    expect(run.stderr).to.equal('hfit: the audit trail failed verification: 2 files checked, 1 broken, 1 missing (AUDIT_VERIFICATION_FAILED)\n');
    const week = await runCommand(AdminAuditVerify, ['--since', '7d'], { env });
    expect(server.requests.map((r) => [r.path, r.query.get('since')])).to.deep.equal([
      ['/v1/admin/audit/verify', '2024-05-01'],
      ['/v1/admin/audit/verify', new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10)],
    ]);
    expect(week.exitCode).to.equal(4);
  });

  it('signing-key rotate names the new key and lists both', async () => {
    const run = await runCommand(AdminSigningKeyRotate, [], { env });
    expect(run.stdout).to.equal(
      [
        'rotated: new tokens are signed with k2',
        'KID  ALG    STATUS   CREATED                   VALID UNTIL',
        `k2   EdDSA  current  ${AT}`,
        `k1   EdDSA  grace    ${AT}  2024-05-01T11:00:00.000Z`,
        '',
      ].join('\n'),
    );
  });
});
