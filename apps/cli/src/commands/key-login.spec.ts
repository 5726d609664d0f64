import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { nodeKey, sshKeygen, TEST_PASSPHRASE, type SshKeygenSpec, type TestKeyFile } from '../testing/key-files.js';
import { runCommand } from '../testing/run-command.js';
import { usePlatformCli } from '../testing/use-platform-cli.js';
import AdminUsersAdd from './admin/users/add.js';
import AdminUsersList from './admin/users/list.js';
import Login from './login.js';
import Logout from './logout.js';
import WhoAmI from './whoami.js';

const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z';

describe('hfit login with SSH keys against the API: every key type and format, whoami, logout', function () {
  this.timeout(300_000);
  const cli = usePlatformCli({ admin: true, worker: false, tempDir: 'hfit-cli-login-' });

  /** `HFIT_SERVER` only: commands send the stored token. */
  const userEnv = (passphrase?: string) => ({ ...cli.home.env, HFIT_SERVER: cli.platform.url, HFIT_KEY_PASSPHRASE: passphrase });
  const adminEnv = () => ({ ...cli.home.env, ...cli.platform.admin!.env });
  const unique = () => randomBytes(3).toString('hex');

  /** Adds `user` with role tester and the public key of `key`, as the admin. */
  async function register(user: string, key: TestKeyFile): Promise<void> {
    // Public keys go as text: an OpenSSH line, or a PEM SPKI block for the node-made keys.
    const add = await runCommand(AdminUsersAdd, [user, '--role', 'tester', '--key', key.publicKey, '--json'], { env: adminEnv() });
    expect(add.exitCode, `${key.label}: ${add.stdout}${add.stderr}`).to.equal(0);
  }

  it('every key type and format logs in from the CLI, and whoami answers that user', async () => {
    const ssh: SshKeygenSpec[] = [];
    for (const passphrase of [undefined, TEST_PASSPHRASE]) {
      const p = passphrase === undefined ? {} : { passphrase };
      ssh.push({ type: 'ed25519', ...p }, { type: 'ecdsa', bits: 256, ...p }, { type: 'ecdsa', bits: 384, ...p }, { type: 'ecdsa', bits: 521, ...p }, { type: 'rsa', bits: 2048, ...p });
      ssh.push({ type: 'rsa', bits: 2048, format: 'PEM', ...p }, { type: 'ecdsa', bits: 256, format: 'PEM', ...p }, { type: 'ecdsa', bits: 521, format: 'PKCS8', ...p });
    }
    ssh.push({ type: 'ecdsa', bits: 384, format: 'PEM' }, { type: 'rsa', bits: 2048, format: 'PKCS8' });
    const keys: TestKeyFile[] = await Promise.all(ssh.map((spec) => sshKeygen(cli.dir, spec)));
    keys.push(
      await nodeKey(cli.dir, { type: 'ed25519', encoding: 'pkcs8' }),
      await nodeKey(cli.dir, { type: 'ed25519', encoding: 'pkcs8', passphrase: TEST_PASSPHRASE }),
      await nodeKey(cli.dir, { type: 'ec', namedCurve: 'secp384r1', encoding: 'sec1', passphrase: TEST_PASSPHRASE }),
      await nodeKey(cli.dir, { type: 'rsa', modulusLength: 2048, encoding: 'pkcs1', passphrase: TEST_PASSPHRASE }),
    );
    const run = unique();
    const loggedIn: string[] = [];
    for (const [i, key] of keys.entries()) {
      const user = `key${i}-${run}`;
      await register(user, key);
      const login = await runCommand(Login, ['--user', user, '--key', key.path], { env: userEnv(key.passphrase) });
      expect(login.exitCode, `${key.label}: ${login.stderr}`).to.equal(0);
      expect(login.stdout, key.label).to.match(new RegExp(`^Logged in as ${user} until ${ISO}\\n$`));
      const who = await runCommand(WhoAmI, [], { env: userEnv() });
      expect(who.stdout.split('\n')[0], `${key.label}: ${who.stderr}`).to.equal(`${user} at ${cli.platform.url} (jwt)`);
      loggedIn.push(key.label);
    }
    expect(loggedIn).to.have.length(22);
  });

  it('logout revokes the token on the server: whoami then fails with the hint to run hfit login', async () => {
    const key = await sshKeygen(cli.dir, { type: 'ed25519' });
    const user = `leaver-${unique()}`;
    await register(user, key);
    const login = await runCommand(Login, ['--user', user, '--key', key.path, '--json'], { env: userEnv() });
    expect(login.json()).to.deep.include({ user, server: cli.platform.url });
    const jwt = (await readFile(login.json<{ tokenFile: string }>().tokenFile, 'utf8')).trim();

    const out = await runCommand(Logout, [], { env: userEnv() });
    expect(out.exitCode, out.stderr).to.equal(0);
    expect(out.stdout).to.equal('Logged out: the token was revoked on the server and removed\n');
    const who = await runCommand(WhoAmI, [], { env: userEnv() });
    expect(who.exitCode).to.not.equal(0);
    expect(who.stderr).to.match(/^hfit: .+ \(UNAUTHENTICATED\)\nhint: .*run `hfit login`/);
    // The token itself is revoked, not only forgotten here.
    const replay = await runCommand(WhoAmI, [], { env: { ...userEnv(), HFIT_TOKEN: jwt } });
    expect(replay.exitCode).to.equal(1);
    expect(replay.stderr).to.match(/\(UNAUTHENTICATED\)\nhint: HFIT_TOKEN was rejected or has expired: set it to a valid token, or unset it and run `hfit login`\n$/);
    const again = await runCommand(Logout, ['--json'], { env: userEnv() });
    expect(again.exitCode).to.equal(0);
    expect(again.json()).to.deep.include({ loggedOut: false });
  });

  it('refuses an unknown user and a key not registered for the user in one line', async () => {
    const key = await sshKeygen(cli.dir, { type: 'ecdsa', bits: 256 });
    const other = await sshKeygen(cli.dir, { type: 'ed25519' });
    const user = `owner-${unique()}`;
    await register(user, key);
    for (const [name, file] of [
      [`ghost-${unique()}`, key.path],
      [user, other.path],
    ] as const) {
      const run = await runCommand(Login, ['--user', name, '--key', file], { env: userEnv() });
      expect(run.exitCode).to.equal(1);
      expect(run.stderr.split('\n')[0]).to.equal('hfit: login refused: unknown user, wrong key, or expired challenge (UNAUTHENTICATED)');
    }
  });

  it('the first admin of the server config logs in with its key and can administer', async () => {
    const admin = cli.platform.admin!;
    const login = await runCommand(Login, ['--user', admin.user, '--key', admin.keyFile], { env: userEnv() });
    expect(login.exitCode, login.stderr).to.equal(0);
    const list = await runCommand(AdminUsersList, ['--json'], { env: userEnv() });
    expect(list.exitCode, list.stderr).to.equal(0);
    const users = list.json<{ users: { name: string; origin: string; roles: string[] }[] }>().users;
    expect(users.find((u) => u.name === admin.user)).to.deep.include({ origin: 'config' });
  });
});
