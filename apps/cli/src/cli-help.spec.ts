import { expect } from 'chai';
import { cliConfig, runCli } from './testing/run-command.js';
import { tempHome, type TempHome } from './testing/temp-home.js';

describe('hfit --help and command help', () => {
  let home: TempHome;

  beforeEach(async () => {
    home = await tempHome();
  });

  afterEach(async () => {
    await home.dispose();
  });

  it('hfit --help lists the topics and every command under the names users know', async () => {
    const run = await runCli(['--help'], { env: home.env });
    expect(run.exitCode, run.stderr).to.equal(0);
    const out = run.stdout;
    expect(out).to.match(/^USAGE\n {2}\$ hfit \[COMMAND\]$/m);
    for (const topic of ['admin', 'browse', 'config', 'pkg']) expect(out, topic).to.match(new RegExp(`^ {2}${topic} +\\S`, 'm'));
    const commands = out.slice(out.indexOf('COMMANDS'));
    for (const name of ['autocomplete', 'dbmss', 'dbs', 'download', 'files', 'import', 'local-i', 'login', 'logout', 'pkg-build', 'pkg-download', 'pkg-example', 'prepare', 'rows', 'tables', 'volumes', 'whoami']) {
      expect(commands, name).to.match(new RegExp(`^ {2}${name} +\\S`, 'm'));
    }
    const pkg = await runCli(['pkg', '--help'], { env: home.env });
    for (const verb of ['build', 'cancel', 'download', 'example', 'list', 'status', 'validate']) expect(pkg.stdout, verb).to.match(new RegExp(`^ {2}pkg ${verb} +\\S`, 'm'));
    const admin = await runCli(['admin', '--help'], { env: home.env });
    for (const verb of ['audit', 'keys', 'signing-key', 'tokens', 'users']) expect(admin.stdout, verb).to.match(new RegExp(`^ {2}admin ${verb} +\\S`, 'm'));
    // `admin audit` is a command and a topic: its help lists `verify` under it.
    const audit = await runCli(['admin', 'audit', '--help'], { env: home.env });
    expect(audit.stdout).to.match(/^USAGE\n {2}\$ hfit admin audit \[--json\] \[-u <value>\]/m);
    expect(audit.stdout).to.match(/^ {2}admin audit verify +Verify the audit trail/m);
    const users = await runCli(['admin', 'users', '--help'], { env: home.env });
    for (const verb of ['add', 'list', 'rm', 'set', 'show']) expect(users.stdout, verb).to.match(new RegExp(`^ {2}admin users ${verb} +\\S`, 'm'));
    const tmpl = await runCli(['pkg-tmpl', '--help'], { env: home.env });
    for (const verb of ['create', 'delete', 'list', 'patch', 'show', 'update', 'upload']) expect(tmpl.stdout, verb).to.match(new RegExp(`^ {2}pkg-tmpl ${verb} +\\S`, 'm'));
  });

  it('hfit pkg-build --help shows usage, the flags, the alias and examples', async () => {
    const run = await runCli(['pkg-build', '--help'], { env: home.env });
    expect(run.exitCode, run.stderr).to.equal(0);
    const out = run.stdout;
    expect(out.split('\n')[0]).to.equal('Build a package on the server and follow its progress');
    expect(out).to.match(/^USAGE\n {2}\$ hfit pkg-build <template\.yaml> \[args…\] \[--arg name=value…\]\s+\[--format tar\.gz\|zip\] \[--no-wait\] \[--json\]\n {2}\$ hfit pkg-build --name <stored template> \[args…\] \[flags\]$/m);
    for (const flag of ['--arg=<value>...', '--name=<value>', '--format=<option>', '--[no-]wait', '--json']) expect(out, flag).to.include(flag);
    expect(out).to.match(/ALIASES\n {2}\$ hfit pkg-build\n/);
    expect(out).to.include('EXAMPLES\n  Build the package of order 42 and wait for it\n\n    $ hfit pkg-build hfit-data/order_incident.yaml 42');
    expect(out.replace(/\s+/g, ' ')).to.include("Exit code 0 with the build id and the archive's sha256 when it succeeded; 3 with the server's error code");
    const spaced = await runCli(['pkg', 'build', '--help'], { env: home.env });
    expect(spaced.stdout).to.include('  $ hfit pkg build --name <stored template> [args…] [flags]\n');
    expect(spaced.stdout.slice(spaced.stdout.indexOf('ARGUMENTS'))).to.equal(out.slice(out.indexOf('ARGUMENTS')));
  });

  it('every command has a summary and an example naming it; the original names are aliases', async () => {
    const config = await cliConfig();
    // Aliases are listed as commands of their own whose id is one of their aliases.
    const canonical = config.commands.filter((c) => c.pluginName === '@hfit/cli' && !c.aliases.includes(c.id));
    expect(canonical.map((c) => c.id).sort()).to.deep.equal([
      'admin:audit', 'admin:audit:verify', 'admin:keys:add', 'admin:keys:rm', 'admin:signing-key:list', 'admin:signing-key:rotate',
      'admin:tokens:create', 'admin:tokens:list', 'admin:tokens:revoke',
      'admin:users:add', 'admin:users:list', 'admin:users:rm', 'admin:users:set', 'admin:users:show',
      'browse:databases', 'browse:download', 'browse:files', 'browse:rows', 'browse:sources', 'browse:tables', 'browse:volumes',
      'config', 'config:get', 'config:list', 'config:set', 'import', 'login', 'logout',
      'pkg:build', 'pkg:cancel', 'pkg:download', 'pkg:example', 'pkg:list', 'pkg:status',
      'pkg:tmpl:create', 'pkg:tmpl:delete', 'pkg:tmpl:list', 'pkg:tmpl:patch', 'pkg:tmpl:show', 'pkg:tmpl:update', 'pkg:tmpl:upload',
      'pkg:validate', 'prepare', 'whoami',
    ]);
    const aliases = Object.fromEntries(canonical.filter((c) => c.aliases.length > 0).map((c) => [c.id, c.aliases]));
    expect(aliases).to.deep.equal({
      'browse:databases': ['dbs'], 'browse:download': ['download'], 'browse:files': ['files'], 'browse:rows': ['rows'], 'browse:sources': ['dbmss'],
      'browse:tables': ['tables'], 'browse:volumes': ['volumes'], import: ['local-i'],
      'pkg:build': ['pkg-build'], 'pkg:download': ['pkg-download'], 'pkg:example': ['pkg-example'],
      'pkg:tmpl:create': ['pkg-tmpl:create'], 'pkg:tmpl:delete': ['pkg-tmpl:delete'], 'pkg:tmpl:list': ['pkg-tmpl:list'], 'pkg:tmpl:patch': ['pkg-tmpl:patch'],
      'pkg:tmpl:show': ['pkg-tmpl:show'], 'pkg:tmpl:update': ['pkg-tmpl:update'], 'pkg:tmpl:upload': ['pkg-tmpl:upload'],
    });
    for (const c of canonical) {
      expect(c.summary, c.id).to.be.a('string').and.not.equal('');
      const names = [c.id.replaceAll(':', ' '), ...c.aliases.map((a) => a.replaceAll(':', ' '))];
      const examples = (c.examples ?? []).map((e) => (typeof e === 'string' ? e : e.command));
      expect(examples.some((e) => names.some((n) => e.includes(`<%= config.bin %> ${n}`))), `${c.id}: ${examples.join(' | ')}`).to.equal(true);
    }
  });
});
