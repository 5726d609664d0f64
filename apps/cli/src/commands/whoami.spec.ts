import { expect } from 'chai';
import { runCommand } from '../testing/run-command.js';
import { usePlatformCli } from '../testing/use-platform-cli.js';
import ConfigSet from './config/set.js';
import WhoAmI from './whoami.js';

describe('hfit whoami: the token from the config dir or HFIT_TOKEN, one-line hints on 401', function () {
  this.timeout(60_000);
  const cli = usePlatformCli();

  it('sends the stored token', async () => {
    await runCommand(ConfigSet, ['server', cli.platform.url], { env: cli.home.env });
    await runCommand(ConfigSet, ['token', cli.platform.tokens['alice']!], { env: cli.home.env });
    const run = await runCommand(WhoAmI, [], { env: cli.home.env });
    expect(run.exitCode, run.stderr).to.equal(0);
    expect(run.stdout).to.equal(
      [
        `alice at ${cli.platform.url} (static-token)`,
        'roles: tester',
        'actions: browse, rows, files, build, download',
        'tables: **',
        'volumes: **',
        'packages: **',
        'builds of: (none)',
        'templates of: (none)',
        '',
      ].join('\n'),
    );
  });

  it('prefers HFIT_TOKEN (a CI token) over the stored one', async () => {
    await runCommand(ConfigSet, ['server', cli.platform.url], { env: cli.home.env });
    await runCommand(ConfigSet, ['token', cli.platform.tokens['alice']!], { env: cli.home.env });
    const run = await runCommand(WhoAmI, ['--json'], { env: { ...cli.home.env, HFIT_TOKEN: cli.platform.tokens['ci-bot'] } });
    expect(run.json()).to.deep.equal({
      user: 'ci-bot',
      server: cli.platform.url,
      via: 'static-token',
      roles: ['tester'],
      grant: { actions: ['browse', 'rows', 'files', 'build', 'download'], tables: ['**'], volumes: ['**'], packages: ['**'], builds: [], templates: [] },
    });
  });

  it('answers a rejected or missing token with one line and a hint to log in', async () => {
    const wrong = await runCommand(WhoAmI, [], { env: { ...cli.home.env, HFIT_SERVER: cli.platform.url, HFIT_TOKEN: 'expired-token' } });
    expect(wrong.exitCode).to.equal(1);
    const lines = wrong.stderr.trimEnd().split('\n');
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(/^hfit: .+ \(UNAUTHENTICATED\)$/);
    expect(lines[1]).to.equal('hint: HFIT_TOKEN was rejected or has expired: set it to a valid token, or unset it and run `hfit login`');
    const none = await runCommand(WhoAmI, ['--json'], { env: { ...cli.home.env, HFIT_SERVER: cli.platform.url } });
    expect(none.exitCode).to.equal(1);
    const { error } = none.json<{ error: Record<string, unknown> }>();
    expect(error).to.deep.include({ code: 'UNAUTHENTICATED', exitCode: 1, status: 401, hint: 'you are not logged in: run `hfit login` (CI: set HFIT_TOKEN)' });
    expect(error['message']).to.be.a('string').and.not.include('\n');
  });

  it('says how to configure a server when none is, and when it cannot be reached', async () => {
    const none = await runCommand(WhoAmI, [], { env: cli.home.env });
    expect(none.exitCode).to.equal(1);
    expect(none.stderr).to.equal('hfit: no hfit server is configured (SERVER_NOT_CONFIGURED)\nhint: run `hfit config set server <url>` (or `hfit config <server> <email> <private_key_path>`), or set HFIT_SERVER\n');
    const down = await runCommand(WhoAmI, [], { env: { ...cli.home.env, HFIT_SERVER: 'http://127.0.0.1:9', HFIT_TOKEN: 'x' } });
    expect(down.exitCode).to.equal(1);
    expect(down.stderr).to.match(/^hfit: Cannot reach the hfit API at http:\/\/127\.0\.0\.1:9 .*\(API_UNREACHABLE\)\nhint: check the server URL/);
  });
});
