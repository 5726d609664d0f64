import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditEvent, AuditVerification, CiTokenView, CreatedCiToken, SigningKeyView, UserView } from '@hfit/contracts';
import { expect } from 'chai';
import { sshKeygen, sshKeygenFingerprint } from '../../testing/key-files.js';
import { runCommand } from '../../testing/run-command.js';
import { usePlatformCli } from '../../testing/use-platform-cli.js';
import Login from '../login.js';
import WhoAmI from '../whoami.js';
import AdminAudit from './audit/index.js';
import AdminAuditVerify from './audit/verify.js';
import AdminKeysAdd from './keys/add.js';
import AdminKeysRm from './keys/rm.js';
import AdminSigningKeyList from './signing-key/list.js';
import AdminSigningKeyRotate from './signing-key/rotate.js';
import AdminTokensCreate from './tokens/create.js';
import AdminTokensList from './tokens/list.js';
import AdminTokensRevoke from './tokens/revoke.js';
import AdminUsersAdd from './users/add.js';
import AdminUsersList from './users/list.js';
import AdminUsersRm from './users/rm.js';
import AdminUsersSet from './users/set.js';
import AdminUsersShow from './users/show.js';

describe('hfit admin against the API: users, keys, CI tokens, signing keys, audit', function () {
  this.timeout(120_000);
  const cli = usePlatformCli({ admin: true, worker: false, tempDir: 'hfit-cli-admin-' });

  const adminEnv = () => ({ ...cli.home.env, ...cli.platform.admin!.env });
  const userEnv = () => ({ ...cli.home.env, HFIT_SERVER: cli.platform.url });
  const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

  it('adds, shows, lists, changes and removes a user with roles, grants and keys', async () => {
    const name = unique('bob');
    const key = await sshKeygen(cli.dir, { type: 'ed25519' });
    const second = await sshKeygen(cli.dir, { type: 'rsa', bits: 2048 });
    const grants = path.join(cli.dir, 'grants.yaml');
    await writeFile(grants, '- actions: [browse, rows]\n  tables: ["shop_mysql/*/orders"]\n');
    const add = await runCommand(AdminUsersAdd, [name, '--role', 'tester', '--key', `${key.path}.pub`, '--grant-file', grants], { env: adminEnv() });
    expect(add.exitCode, add.stderr).to.equal(0);
    const lines = add.stdout.split('\n');
    expect(lines[0]).to.equal(`added user ${name}`);
    expect(lines[1]).to.equal(`user    ${name}`);
    expect(lines[2]).to.match(new RegExp(`^origin  store \\(created \\S+ by ${cli.platform.admin!.tokenUser}\\)$`));
    expect(lines[3]).to.equal('roles   tester');
    const fingerprint = await sshKeygenFingerprint(`${key.path}.pub`);
    expect(add.stdout).to.include(`  - actions:\n      - browse\n      - rows\n    tables:\n      - shop_mysql/*/orders\n`);
    expect(add.stdout).to.match(new RegExp(`^ {2}${fingerprint.replace(/[+/]/g, '\\$&')} +ed25519 +256 `, 'm'));

    const keyAdd = await runCommand(AdminKeysAdd, [name, `${second.path}.pub`, '--json'], { env: adminEnv() });
    expect(keyAdd.json()).to.deep.include({ user: name, type: 'rsa', bits: 2048, fingerprint: await sshKeygenFingerprint(`${second.path}.pub`) });
    const dup = await runCommand(AdminKeysAdd, [name, second.publicKey], { env: adminEnv() });
    expect(dup.exitCode).to.equal(1);
    expect(dup.stderr).to.match(/\(KEY_EXISTS\)\n$/);

    const set = await runCommand(AdminUsersSet, [name, '--clear-roles', '--json'], { env: adminEnv() });
    expect(set.json<UserView>()).to.deep.include({ name, roles: [] });
    const shown = await runCommand(AdminUsersShow, [name, '--json'], { env: adminEnv() });
    const view = shown.json<UserView>();
    expect(view.keys.map((k) => k.fingerprint).sort()).to.deep.equal([fingerprint, keyAdd.json<{ fingerprint: string }>().fingerprint].sort());
    expect(view.grants).to.have.length(1);
    expect(view.origin).to.equal('store');

    const rmKey = await runCommand(AdminKeysRm, [name, fingerprint], { env: adminEnv() });
    expect(rmKey.stdout).to.equal(`removed key ${fingerprint} of ${name}\n`);
    // The removed key no longer logs in; the other one does.
    const refused = await runCommand(Login, ['--user', name, '--key', key.path], { env: userEnv() });
    expect(refused.stderr.split('\n')[0]).to.equal('hfit: login refused: unknown user, wrong key, or expired challenge (UNAUTHENTICATED)');
    const ok = await runCommand(Login, ['--user', name, '--key', second.path], { env: userEnv() });
    expect(ok.exitCode, ok.stderr).to.equal(0);
    // Without roles, the user may do what their own grant says, and whoami shows it.
    const me = await runCommand(WhoAmI, [], { env: userEnv() });
    expect(me.stdout).to.equal(
      [
        `${name} at ${cli.platform.url} (jwt)`,
        'roles: (none)',
        'actions: browse, rows',
        'tables: shop_mysql/*/orders',
        'volumes: (none)',
        'packages: (none)',
        'builds of: (none)',
        'templates of: (none)',
        '',
      ].join('\n'),
    );

    const list = await runCommand(AdminUsersList, [], { env: adminEnv() });
    expect(list.stdout).to.match(/^NAME +ROLES +GRANTS +KEYS +ORIGIN +CREATED$/m);
    expect(list.stdout).to.match(new RegExp(`^${name} + 1 +1 +store +\\S+$`, 'm'));
    expect(list.stdout).to.match(new RegExp(`^${cli.platform.admin!.user} +admin +0 +1 +config`, 'm'));

    const rm = await runCommand(AdminUsersRm, [name], { env: adminEnv() });
    expect(rm.stdout).to.equal(`removed user ${name}\n`);
    const gone = await runCommand(AdminUsersShow, [name], { env: adminEnv() });
    expect(gone.exitCode).to.equal(1);
    expect(gone.stderr).to.match(/\(USER_NOT_FOUND\)\n$/);
    // Its login token stops working with the user.
    const who = await runCommand(WhoAmI, [], { env: userEnv() });
    expect(who.exitCode).to.equal(1);
  });

  it('refuses a bad grants file and a private key locally, naming the field, before any request', async () => {
    const grants = path.join(cli.dir, 'bad.yaml');
    await writeFile(grants, '- actions: [browse, teleport]\n');
    const run = await runCommand(AdminUsersAdd, [unique('x'), '--grant-file', grants], { env: adminEnv() });
    expect(run.exitCode).to.equal(2);
    expect(run.stderr).to.equal(`hfit: ${grants}: grants[0].actions[1], line 1: must be one of: browse, rows, files, build, download, admin (GRANTS_INVALID)\n`);
    const key = await sshKeygen(cli.dir, { type: 'ed25519' });
    const priv = await runCommand(AdminKeysAdd, ['someone', key.path], { env: adminEnv() });
    expect(priv.exitCode).to.equal(2);
    expect(priv.stderr).to.equal(`hfit: ${key.path} is a private key: give the public key (the .pub file) (USAGE)\nhint: the private key never leaves your machine\n`);
  });

  it('creates a CI token that works as HFIT_TOKEN, lists it, and revoking it gets it rejected', async () => {
    const name = unique('deploy');
    const create = await runCommand(AdminTokensCreate, [name, '--role', 'tester', '--expires', '30d'], { env: adminEnv() });
    expect(create.exitCode, create.stderr).to.equal(0);
    const [summary, token] = create.stdout.trimEnd().split('\n');
    expect(summary).to.match(new RegExp(`^created CI token ${name} \\(id \\S+, acts as ci\\.${name}, role tester, expires \\S+\\):$`));
    expect(create.stderr).to.equal('hfit: copy the token now: it will not be shown again\n');
    const ci = { ...cli.home.env, HFIT_SERVER: cli.platform.url, HFIT_TOKEN: token };
    const who = await runCommand(WhoAmI, ['--json'], { env: ci });
    expect(who.json()).to.deep.include({ user: `ci.${name}`, server: cli.platform.url, via: 'ci-token', roles: ['tester'] });

    const json = await runCommand(AdminTokensCreate, [unique('json'), '--role', 'tester', '--json'], { env: adminEnv() });
    const created = json.json<CreatedCiToken>();
    expect(created.token).to.be.a('string');
    expect(created.expiresAt).to.equal(undefined);

    const list = await runCommand(AdminTokensList, ['--json'], { env: adminEnv() });
    const listed = list.json<{ tokens: CiTokenView[] }>().tokens.find((t) => t.name === name)!;
    expect(listed).to.deep.include({ user: `ci.${name}`, role: 'tester', status: 'active' });
    expect(JSON.stringify(list.json())).to.not.include(token!);
    const table = await runCommand(AdminTokensList, [], { env: adminEnv() });
    expect(table.stdout).to.match(new RegExp(`^${listed.id} +${name} +ci\\.${name} +tester +active `, 'm'));

    const revoke = await runCommand(AdminTokensRevoke, [listed.id], { env: adminEnv() });
    expect(revoke.stdout).to.equal(`revoked CI token ${name} (id ${listed.id}, ci.${name})\n`);
    const rejected = await runCommand(WhoAmI, [], { env: ci });
    expect(rejected.exitCode).to.equal(1);
    expect(rejected.stderr).to.match(/\(UNAUTHENTICATED\)\nhint: HFIT_TOKEN was rejected or has expired/);
    const past = await runCommand(AdminTokensCreate, [unique('old'), '--role', 'tester', '--expires', '2001-01-01'], { env: adminEnv() });
    expect(past.exitCode).to.equal(2);
  });

  it('rotates the signing key: tokens issued before still work, new logins too', async () => {
    const admin = cli.platform.admin!;
    const before = await runCommand(Login, ['--user', admin.user, '--key', admin.keyFile], { env: userEnv() });
    expect(before.exitCode, before.stderr).to.equal(0);
    const listed = await runCommand(AdminSigningKeyList, ['--json'], { env: adminEnv() });
    const old = listed.json<{ keys: SigningKeyView[] }>().keys.find((k) => k.status === 'current')!;
    const rotate = await runCommand(AdminSigningKeyRotate, [], { env: adminEnv() });
    expect(rotate.exitCode, rotate.stderr).to.equal(0);
    expect(rotate.stdout).to.match(/^rotated: new tokens are signed with \S+\nKID +ALG +STATUS +CREATED +VALID UNTIL\n/);
    const after = await runCommand(AdminSigningKeyList, ['--json'], { env: adminEnv() });
    const keys = after.json<{ keys: SigningKeyView[] }>().keys;
    expect(keys.find((k) => k.kid === old.kid)).to.deep.include({ status: 'grace' });
    expect(keys.filter((k) => k.status === 'current')).to.have.length(1);
    expect((await runCommand(WhoAmI, [], { env: userEnv() })).stdout.split('\n')[0]).to.equal(`${admin.user} at ${cli.platform.url} (jwt)`);
    const again = await runCommand(Login, ['--user', admin.user, '--key', admin.keyFile], { env: userEnv() });
    expect(again.exitCode, again.stderr).to.equal(0);
    expect((await runCommand(WhoAmI, [], { env: userEnv() })).stdout.split('\n')[0]).to.equal(`${admin.user} at ${cli.platform.url} (jwt)`);
  });

  it('reads the audit trail: logins by user and action since a time, page after page until --limit', async () => {
    const name = unique('audited');
    const key = await sshKeygen(cli.dir, { type: 'ecdsa', bits: 384 });
    await runCommand(AdminUsersAdd, [name, '--role', 'tester', '--key', key.publicKey], { env: adminEnv() });
    for (let i = 0; i < 3; i++) {
      const login = await runCommand(Login, ['--user', name, '--key', key.path], { env: userEnv() });
      expect(login.exitCode, login.stderr).to.equal(0);
    }
    await runCommand(Login, ['--user', name, '--key', (await sshKeygen(cli.dir, { type: 'ed25519' })).path], { env: userEnv() });

    const json = await runCommand(AdminAudit, ['--user', name, '--action', 'auth.login', '--since', '1h', '--json'], { env: adminEnv() });
    expect(json.exitCode, json.stderr).to.equal(0);
    const { events, limitReached } = json.json<{ events: AuditEvent[]; limitReached: boolean }>();
    expect(events.map((e) => e.outcome)).to.deep.equal(['success', 'success', 'success', 'failure']);
    expect(events.every((e) => e.actor === name && e.action === 'auth.login')).to.equal(true);
    expect(limitReached).to.equal(false);

    const limited = await runCommand(AdminAudit, ['--user', name, '--action', 'auth.login', '--limit', '2', '--format', 'ndjson'], { env: adminEnv() });
    const lines = limited.stdout.trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as AuditEvent).id)).to.deep.equal(events.slice(0, 2).map((e) => e.id));

    const table = await runCommand(AdminAudit, ['--user', name, '--since', new Date(Date.now() - 3_600_000).toISOString()], { env: adminEnv() });
    expect(table.stdout).to.match(/^TIME +ACTION +OUTCOME +ACTOR +VIA +TARGET +DETAIL$/m);
    expect(table.stdout.match(/ auth\.login /g)).to.have.length(4);
    const admin = await runCommand(AdminAudit, ['--user', cli.platform.admin!.tokenUser, '--action', 'admin.user', '--json'], { env: adminEnv() });
    expect(admin.json<{ events: AuditEvent[] }>().events.some((e) => e.target?.includes(name) === true)).to.equal(true);
    const bad = await runCommand(AdminAudit, ['--since', 'last week'], { env: adminEnv() });
    expect(bad.exitCode).to.equal(2);
  });

  it('verifies the audit trail: exit 0 when intact, 4 naming the problem when the tail of the audit file was cut', async () => {
    const intact = await runCommand(AdminAuditVerify, ['--since', '1d'], { env: adminEnv() });
    expect(intact.exitCode, intact.stderr).to.equal(0);
    const lines = intact.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).to.match(/^\d+ files? checked, all intact$/);
    expect(lines.slice(0, -1)).to.have.length.greaterThan(0);
    for (const line of lines.slice(0, -1)) expect(line).to.match(/^ok {6}audit-\d{4}-\d{2}-\d{2}\.\S+\.jsonl {2}\d+ lines?, \d+ writers?$/);

    const { auditLog } = cli.platform.app;
    const name = (await readdir(auditLog.dir)).filter((n) => n.startsWith('audit-')).sort().at(-1)!;
    const file = path.join(auditLog.dir, name);
    const original = await readFile(file, 'utf8');
    const kept = original.trimEnd().split('\n');
    const removed = kept.splice(-2).map((l) => JSON.parse(l) as { writer: string; seq: number });
    expect(removed.map((l) => l.writer)).to.deep.equal([auditLog.writer, auditLog.writer]);
    try {
      await writeFile(file, `${kept.join('\n')}\n`);
      const cut = await runCommand(AdminAuditVerify, [], { env: adminEnv() });
      expect(cut.exitCode).to.equal(4);
      expect(cut.stdout).to.include(`BROKEN  ${name}  `);
      const seq = removed[1]!.seq;
      expect(cut.stdout).to.include(`\n  writer ${auditLog.writer}: the chain ends at seq ${seq - 2}, but seq ${seq} was anchored when written: the last 2 lines of the chain were removed\n`);
      expect(cut.stderr).to.match(/^hfit: the audit trail failed verification: \d+ files? checked, 1 broken \(AUDIT_VERIFICATION_FAILED\)\n$/);
      const json = await runCommand(AdminAuditVerify, ['--json'], { env: adminEnv() });
      expect(json.exitCode).to.equal(4);
      const { error } = json.json<{ error: AuditVerification & { code: string; exitCode: number } }>();
      expect(error).to.deep.include({ code: 'AUDIT_VERIFICATION_FAILED', exitCode: 4, ok: false, missing: [] });
      expect(error.files.find((f) => f.file === name)!.problems).to.have.length(1);
    } finally {
      await writeFile(file, original);
    }
    expect((await runCommand(AdminAuditVerify, [], { env: adminEnv() })).exitCode).to.equal(0);
    const bad = await runCommand(AdminAuditVerify, ['--since', 'yesterday'], { env: adminEnv() });
    expect(bad.exitCode).to.equal(2);
  });

  it('answers 403 to a user without the admin action', async () => {
    const run = await runCommand(AdminUsersList, [], { env: cli.env });
    expect(run.exitCode).to.equal(1);
    expect(run.stderr).to.match(/^hfit: .+ \(FORBIDDEN\)\n$/);
  });
});
