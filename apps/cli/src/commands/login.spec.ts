import { constants, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { startRecordingServer, type RecordedRequest, type RecordingServer, type StubReply } from '@hfit/api-client/testing';
import { expect } from 'chai';
import { runCommand } from '../testing/run-command.js';
import { tempHome, type TempHome } from '../testing/temp-home.js';
import ConfigSet from './config/set.js';
import Login from './login.js';
import Logout from './logout.js';
import WhoAmI from './whoami.js';

const EXPIRES = '2030-01-01T00:00:00.000Z';

function problem(status: number, code: string, detail: string): StubReply {
  return { status, json: { type: `https://hfit.dev/problems/${code}`, title: code, status, detail, code } };
}

/**
 * A stub of the login endpoints that checks what a real server checks: the challenge it gave is
 * signed (Ed25519, RSA PKCS#1 v1.5 SHA-256 or ECDSA SHA-256 DER) by one of `keys`.
 */
function loginServer(keys: () => Record<string, KeyObject>, challengeFor = (user: string) => `hfit-login-v1:hfit:${user}:r4nd0m`) {
  return (r: RecordedRequest): StubReply => {
    if (r.path === '/v1/auth/challenge') return { status: 200, json: { challenge: challengeFor((r.json as { username: string }).username), expiresAt: EXPIRES } };
    if (r.path === '/v1/auth/token') {
      const { username, challenge, signature } = r.json as { username: string; challenge: string; signature: string };
      const key = keys()[username];
      const data = Buffer.from(challenge, 'utf8');
      const sig = Buffer.from(signature, 'base64');
      const ok =
        key !== undefined &&
        challenge === challengeFor(username) &&
        (key.asymmetricKeyType === 'ed25519'
          ? verify(null, data, key, sig)
          : key.asymmetricKeyType === 'rsa'
            ? verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, sig)
            : verify('sha256', data, key, sig));
      if (!ok) return problem(401, 'UNAUTHENTICATED', 'authentication failed');
      return { status: 200, json: { token: `jwt-of-${username}`, tokenType: 'Bearer', expiresAt: EXPIRES, expiresIn: 3600, user: username } };
    }
    if (r.path === '/v1/whoami') {
      const user = /^Bearer jwt-of-(.+)$/.exec(r.headers['authorization'] ?? '')?.[1];
      return user === undefined
        ? problem(401, 'UNAUTHENTICATED', 'missing or invalid token')
        : { status: 200, json: { user, via: 'jwt', roles: [], grant: { actions: [], tables: [], volumes: [], packages: [], builds: [], templates: [] } } };
    }
    if (r.path === '/v1/auth/logout') return { status: 204 };
    return problem(404, 'ROUTE_NOT_FOUND', 'no such endpoint');
  };
}

describe('hfit login and logout: user and key defaults, the stored token, refusals, rate limits (stub API)', () => {
  let home: TempHome;
  let server: RecordingServer;
  let keys: Record<string, KeyObject>;
  let env: Record<string, string | undefined>;

  /** Writes a fresh Ed25519 key (PKCS#8 PEM) to `file` and registers its public key for `user` on the stub. */
  async function keyFor(user: string, file: string): Promise<string> {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    keys[user] = publicKey;
    return file;
  }

  beforeEach(async () => {
    home = await tempHome();
    keys = {};
    server = await startRecordingServer(loginServer(() => keys));
    env = { ...home.env, HFIT_SERVER: server.url, HFIT_KEY_PASSPHRASE: undefined };
  });
  afterEach(async () => {
    await server.close();
    await home.dispose();
  });

  it('logs in with --user and --key, stores the token (0600) and the user, and later commands send it', async () => {
    const key = await keyFor('alice', path.join(home.dir, 'keys', 'alice.pem'));
    await runCommand(ConfigSet, ['token', 'stale-token-of-yesterday'], { env });
    const run = await runCommand(Login, ['--user', 'alice', '--key', key], { env });
    expect(run.exitCode, run.stderr).to.equal(0);
    expect(run.stdout).to.equal(`Logged in as alice until ${EXPIRES}\n`);
    expect(run.stderr).to.equal('');
    const tokenFile = path.join(home.dir, '.config', 'hfit', 'token');
    expect(await readFile(tokenFile, 'utf8')).to.equal('jwt-of-alice\n');
    expect((await stat(tokenFile)).mode & 0o777).to.equal(0o600);
    expect(JSON.parse(await readFile(path.join(home.dir, '.config', 'hfit', 'config.json'), 'utf8'))).to.deep.equal({ email: 'alice' });
    // Login sends no bearer token, even when one is stored.
    expect(server.requests.filter((r) => r.path.startsWith('/v1/auth/')).map((r) => r.headers['authorization'])).to.deep.equal([undefined, undefined]);
    const who = await runCommand(WhoAmI, [], { env });
    expect(who.stdout.split('\n')[0]).to.equal(`alice at ${server.url} (jwt)`);
  });

  it('takes the configured user and key, else ~/.ssh/id_ed25519 and the OS user name; --server is stored', async () => {
    const configured = await keyFor('bob', path.join(home.dir, 'elsewhere', 'bob_key'));
    await runCommand(ConfigSet, ['user', 'bob'], { env });
    await runCommand(ConfigSet, ['key', configured], { env });
    const json = await runCommand(Login, ['--json'], { env });
    expect(json.exitCode, json.stderr).to.equal(0);
    expect(json.json()).to.deep.include({ user: 'bob', server: server.url, expiresAt: EXPIRES, expiresIn: 3600, tokenFile: path.join(home.dir, '.config', 'hfit', 'token') });
    expect(json.json<{ key: Record<string, unknown> }>().key).to.deep.include({ path: configured, type: 'ed25519', bits: 256 });
    expect(json.stdout).to.not.include('jwt-of-bob');

    const fresh = await tempHome();
    try {
      const osUser = userInfo().username;
      await keyFor(osUser, path.join(fresh.dir, '.ssh', 'id_ed25519'));
      // A broken id_rsa must not matter: id_ed25519 comes first.
      await writeFile(path.join(fresh.dir, '.ssh', 'id_rsa'), 'garbage');
      const run = await runCommand(Login, ['--server', `${server.url}/`], { env: { ...fresh.env, HFIT_KEY_PASSPHRASE: undefined } });
      expect(run.exitCode, run.stderr).to.equal(0);
      expect(run.stdout).to.equal(`Logged in as ${osUser} until ${EXPIRES}\n`);
      expect(JSON.parse(await readFile(path.join(fresh.dir, '.config', 'hfit', 'config.json'), 'utf8'))).to.deep.equal({ server: server.url, email: osUser });
      const none = await tempHome();
      try {
        const missing = await runCommand(Login, ['--user', 'x'], { env: { ...none.env, HFIT_SERVER: server.url } });
        expect(missing.exitCode).to.equal(1);
        expect(missing.stderr).to.equal(
          'hfit: no private key found: none of ~/.ssh/id_ed25519, ~/.ssh/id_ecdsa, ~/.ssh/id_rsa exists (KEY_NOT_FOUND)\nhint: give one with --key <path>, or `hfit config set key <path>` (create one with `ssh-keygen -t ed25519`)\n',
        );
      } finally {
        await none.dispose();
      }
    } finally {
      await fresh.dispose();
    }
  });

  it('answers a refused login with one line, exit 1, and the key it tried', async () => {
    const key = await keyFor('carol', path.join(home.dir, 'carol.pem'));
    const stranger = path.join(home.dir, 'stranger.pem');
    await writeFile(stranger, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }));
    const run = await runCommand(Login, ['--user', 'carol', '--key', stranger], { env });
    expect(run.exitCode).to.equal(1);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).to.equal('hfit: login refused: unknown user, wrong key, or expired challenge (UNAUTHENTICATED)');
    expect(lines[1]).to.match(new RegExp(`^hint: user carol, key SHA256:[A-Za-z0-9+/]{43} \\(${stranger.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\); an admin registers keys with \`hfit admin keys add carol <public key file>\`$`));
    expect(lines).to.have.length(2);
    const json = await runCommand(Login, ['--user', 'nobody', '--key', key, '--json'], { env });
    expect(json.json<{ error: Record<string, unknown> }>().error).to.deep.include({ message: 'login refused: unknown user, wrong key, or expired challenge', code: 'UNAUTHENTICATED', exitCode: 1, status: 401 });
    const badName = await runCommand(Login, ['--user', 'no spaces please', '--key', key], { env });
    expect(badName.exitCode).to.equal(2);
    expect(badName.stderr).to.match(/^hfit: user name "no spaces please" is not valid: use 1-64 letters/);
  });

  it('says how long to wait when the server rate-limits logins (429 Retry-After)', async () => {
    const key = await keyFor('dave', path.join(home.dir, 'dave.pem'));
    server.reply = () => ({ ...problem(429, 'RATE_LIMITED', 'too many requests'), headers: { 'Retry-After': '42' } });
    const run = await runCommand(Login, ['--user', 'dave', '--key', key], { env });
    expect(run.exitCode).to.equal(1);
    expect(run.stderr).to.equal('hfit: too many login attempts: try again in 42 seconds (RATE_LIMITED)\n');
    const json = await runCommand(Login, ['--user', 'dave', '--key', key, '--json'], { env });
    expect(json.json<{ error: Record<string, unknown> }>().error).to.deep.include({ code: 'RATE_LIMITED', retryAfterSeconds: 42, status: 429 });
  });

  it('signs nothing but an hfit login challenge for the user', async () => {
    const key = await keyFor('erin', path.join(home.dir, 'erin.pem'));
    server.reply = loginServer(() => keys, () => 'SSH-2.0 session id 0123');
    const run = await runCommand(Login, ['--user', 'erin', '--key', key], { env });
    expect(run.exitCode).to.equal(1);
    expect(run.stderr).to.equal('hfit: the server sent a login challenge that is not one for erin (expected "hfit-login-v1:…:erin:…"); nothing was signed (CHALLENGE_INVALID)\n');
    expect(server.requests.map((r) => r.path)).to.deep.equal(['/v1/auth/challenge']);
  });

  it('notices HFIT_TOKEN overriding the new login; HFIT_KEY_PASSPHRASE unlocks an encrypted key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const file = path.join(home.dir, 'frank.pem');
    await writeFile(file, privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'pass phrase' }));
    keys['frank'] = publicKey;
    const run = await runCommand(Login, ['--user', 'frank', '--key', file], { env: { ...env, HFIT_TOKEN: 'ci-token', HFIT_KEY_PASSPHRASE: 'pass phrase' } });
    expect(run.exitCode, run.stderr).to.equal(0);
    expect(run.stderr).to.equal('hfit: HFIT_TOKEN is set and overrides the stored token: unset it to use this login\n');
    const wrong = await runCommand(Login, ['--user', 'frank', '--key', file], { env: { ...env, HFIT_KEY_PASSPHRASE: 'nope' } });
    expect(wrong.stderr).to.equal(`hfit: wrong passphrase for ${file} (KEY_PASSPHRASE_WRONG)\nhint: HFIT_KEY_PASSPHRASE holds another passphrase\n`);
    const none = await runCommand(Login, ['--user', 'frank', '--key', file], { env });
    expect(none.stderr).to.equal(`hfit: ${file} is encrypted and stdin is not a terminal to ask for its passphrase: set HFIT_KEY_PASSPHRASE (KEY_PASSPHRASE_REQUIRED)\n`);
  });

  it('logs out: revokes with the stored token, removes it; 401 is fine; again is a no-op; a server failure still removes it', async () => {
    const key = await keyFor('gina', path.join(home.dir, 'gina.pem'));
    await runCommand(Login, ['--user', 'gina', '--key', key], { env });
    server.requests.length = 0;
    const out = await runCommand(Logout, [], { env });
    expect(out.exitCode, out.stderr).to.equal(0);
    expect(out.stdout).to.equal('Logged out: the token was revoked on the server and removed\n');
    expect(server.requests.map((r) => [r.method, r.path, r.headers['authorization']])).to.deep.equal([['POST', '/v1/auth/logout', 'Bearer jwt-of-gina']]);
    const tokenFile = path.join(home.dir, '.config', 'hfit', 'token');
    expect(await readFile(tokenFile, 'utf8').catch(() => 'gone')).to.equal('gone');
    const again = await runCommand(Logout, ['--json'], { env });
    expect(again.json()).to.deep.equal({ loggedOut: false, server: 'not-sent', tokenFile });
    const who = await runCommand(WhoAmI, [], { env });
    expect(who.exitCode).to.equal(1);
    expect(who.stderr.trimEnd().split('\n')[1]).to.equal('hint: you are not logged in: run `hfit login` (CI: set HFIT_TOKEN)');

    await runCommand(Login, ['--user', 'gina', '--key', key], { env });
    server.reply = () => problem(401, 'UNAUTHENTICATED', 'token expired');
    const expired = await runCommand(Logout, ['--json'], { env: { ...env, HFIT_TOKEN: 'ci-token' } });
    expect(expired.json()).to.deep.equal({ loggedOut: true, server: 'expired', tokenFile });
    expect(expired.stderr).to.equal('hfit: commands still send the token of HFIT_TOKEN\n');
    // HFIT_TOKEN was not what logout sent.
    expect(server.requests.at(-1)!.headers['authorization']).to.equal('Bearer jwt-of-gina');

    server.reply = loginServer(() => keys);
    await runCommand(Login, ['--user', 'gina', '--key', key], { env });
    server.reply = () => problem(503, 'SERVICE_UNAVAILABLE', 'redis is down');
    const failed = await runCommand(Logout, [], { env });
    expect(failed.exitCode).to.equal(1);
    expect(failed.stderr).to.equal('hfit: removed the stored token, but the server did not revoke it: SERVICE_UNAVAILABLE (HTTP 503): redis is down (LOGOUT_INCOMPLETE)\nhint: it stays valid on the server until it expires\n');
    expect(await readFile(tokenFile, 'utf8').catch(() => 'gone')).to.equal('gone');
  });

  it('hints per token origin on a 401: HFIT_TOKEN, a stored token, none', async () => {
    const viaEnv = await runCommand(WhoAmI, [], { env: { ...env, HFIT_TOKEN: 'expired' } });
    expect(viaEnv.stderr.trimEnd().split('\n')[1]).to.equal('hint: HFIT_TOKEN was rejected or has expired: set it to a valid token, or unset it and run `hfit login`');
    await runCommand(ConfigSet, ['token', 'stale-token'], { env });
    const stored = await runCommand(WhoAmI, ['--json'], { env });
    expect(stored.json<{ error: { hint: string } }>().error.hint).to.equal('the token was rejected or has expired: run `hfit login` (CI: set HFIT_TOKEN)');
  });
});
