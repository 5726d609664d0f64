import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import { runCommand } from '../../testing/run-command.js';
import { tempHome, type TempHome } from '../../testing/temp-home.js';
import ConfigGet from './get.js';
import Config from './index.js';
import ConfigList from './list.js';
import ConfigSet from './set.js';

describe('hfit config: set, get, list, the original positional form, environment overrides', () => {
  let home: TempHome;

  beforeEach(async () => {
    home = await tempHome();
  });

  afterEach(async () => {
    await home.dispose();
  });

  it('stores the server in config.json and the token in its own file with mode 0600, under $XDG_CONFIG_HOME/hfit', async () => {
    const server = await runCommand(ConfigSet, ['server', 'http://127.0.0.1:8080/'], { env: home.env });
    expect(server.exitCode, server.stderr).to.equal(0);
    const token = await runCommand(ConfigSet, ['token', 'secret-token-123456'], { env: home.env });
    expect(token.exitCode, token.stderr).to.equal(0);
    expect(token.stdout).to.not.include('secret-token-123456');
    const dir = path.join(home.dir, '.config', 'hfit');
    expect(JSON.parse(await readFile(path.join(dir, 'config.json'), 'utf8'))).to.deep.equal({ server: 'http://127.0.0.1:8080' });
    expect(await readFile(path.join(dir, 'token'), 'utf8')).to.equal('secret-token-123456\n');
    expect((await stat(path.join(dir, 'token'))).mode & 0o777).to.equal(0o600);
    expect((await stat(dir)).mode & 0o777).to.equal(0o700);

    const got = await runCommand(ConfigGet, ['server'], { env: home.env });
    expect(got.stdout).to.equal('http://127.0.0.1:8080\n');
    const gotToken = await runCommand(ConfigGet, ['token', '--json'], { env: home.env });
    expect(gotToken.json()).to.deep.equal({ key: 'token', value: 'secret-token-123456', origin: 'config', from: path.join(dir, 'token') });

    const list = await runCommand(ConfigList, ['--json'], { env: home.env });
    const listed = list.json<{ configDir: string; settings: { key: string; value?: string; origin?: string }[] }>();
    expect(listed.configDir).to.equal(dir);
    expect(listed.settings.find((s) => s.key === 'token')).to.deep.include({ origin: 'config', value: 'secr…(19 chars)' });
    expect(listed.settings.find((s) => s.key === 'email')).to.deep.equal({ key: 'email' });
    expect(list.stdout).to.not.include('secret-token-123456');
  });

  it('uses ~/.config/hfit when XDG_CONFIG_HOME is not set', async () => {
    const set = await runCommand(ConfigSet, ['email', 'bob@example.com'], { env: { ...home.env, XDG_CONFIG_HOME: undefined } });
    expect(set.exitCode, set.stderr).to.equal(0);
    expect(JSON.parse(await readFile(path.join(home.dir, '.config', 'hfit', 'config.json'), 'utf8'))).to.deep.equal({ email: 'bob@example.com' });
  });

  it('accepts the original form `hfit config <server> <email> <private_key_path>`; without arguments it lists', async () => {
    const run = await runCommand(Config, ['https://hfit.example.com:8443', 'alice@example.com', 'keys/id_ed25519'], { env: home.env });
    expect(run.exitCode, run.stderr).to.equal(0);
    const email = await runCommand(ConfigGet, ['email'], { env: home.env });
    expect(email.stdout.trim()).to.equal('alice@example.com');
    const key = await runCommand(ConfigGet, ['private_key_path'], { env: home.env });
    expect(key.stdout.trim()).to.equal(path.resolve('keys/id_ed25519'));
    const listing = await runCommand(Config, [], { env: home.env });
    expect(listing.stdout).to.match(/^server\s+https:\/\/hfit\.example\.com:8443 {2}\(/m);
    const partial = await runCommand(Config, ['https://hfit.example.com'], { env: home.env });
    expect(partial.exitCode).to.equal(2);
    expect(partial.stderr).to.match(/^hfit: give all three/);
  });

  it('lets HFIT_SERVER and HFIT_TOKEN override the file, and reads the original ~/.hfit files as a fallback', async () => {
    await mkdir(path.join(home.dir, '.hfit'));
    await writeFile(path.join(home.dir, '.hfit', 'config'), 'server: "http://legacy.example:9000"\nemail: old@example.com\nprivate_key_path: /keys/old\n');
    await writeFile(path.join(home.dir, '.hfit', 'token'), 'legacy-token\n', { mode: 0o600 });
    const legacy = await runCommand(ConfigGet, ['server', '--json'], { env: home.env });
    expect(legacy.json()).to.deep.include({ value: 'http://legacy.example:9000', origin: 'legacy' });
    expect((await runCommand(ConfigGet, ['privateKeyPath'], { env: home.env })).stdout.trim()).to.equal('/keys/old');

    await runCommand(ConfigSet, ['server', 'http://own.example:8080'], { env: home.env });
    expect((await runCommand(ConfigGet, ['server'], { env: home.env })).stdout.trim()).to.equal('http://own.example:8080');

    const env = { ...home.env, HFIT_SERVER: 'http://ci.example:1234', HFIT_TOKEN: 'ci-token' };
    expect((await runCommand(ConfigGet, ['server', '--json'], { env })).json()).to.deep.include({ value: 'http://ci.example:1234', origin: 'env', from: 'HFIT_SERVER' });
    expect((await runCommand(ConfigGet, ['token'], { env })).stdout.trim()).to.equal('ci-token');
    const set = await runCommand(ConfigSet, ['token', 'stored-token-abc'], { env });
    expect(set.stderr).to.include('HFIT_TOKEN is set and overrides this value');
  });

  it('refuses unknown keys and bad URLs as usage errors (exit 2); a missing setting is exit 1 with a hint', async () => {
    const key = await runCommand(ConfigSet, ['colour', 'blue'], { env: home.env });
    expect(key.exitCode).to.equal(2);
    expect(key.stderr).to.equal('hfit: unknown setting "colour" (USAGE)\nhint: use one of server, email, privateKeyPath, token\n');
    const url = await runCommand(ConfigSet, ['server', 'ftp://x'], { env: home.env });
    expect(url.exitCode).to.equal(2);
    const missing = await runCommand(ConfigGet, ['token', '--json'], { env: home.env });
    expect(missing.exitCode).to.equal(1);
    expect(missing.json()).to.deep.equal({ error: { message: 'token is not set', code: 'SETTING_NOT_SET', exitCode: 1, hint: 'run `hfit config set token <value>`' } });
    const args = await runCommand(ConfigSet, ['server'], { env: home.env });
    expect(args.exitCode).to.equal(2);
    expect(args.stderr).to.match(/^hfit: Missing 1 required arg: value/);
  });
});
