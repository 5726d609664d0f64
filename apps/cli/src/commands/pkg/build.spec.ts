import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildList } from '@hfit/contracts';
import { expect } from 'chai';
import type { BuildResult } from '../../build/build-result.js';
import { runCli, runCommand } from '../../testing/run-command.js';
import { usePlatformCli } from '../../testing/use-platform-cli.js';
import PkgBuild, { type QueuedBuildResult } from './build.js';
import PkgCancel from './cancel.js';
import PkgDownload from './download.js';
import PkgList from './list.js';
import PkgStatus from './status.js';
import PkgValidate, { type ValidateResult } from './validate.js';

interface JsonError {
  error: { message: string; code: string; exitCode: number; problems?: { message: string; field?: string; line?: number }[]; build?: { state: string } };
}

describe('hfit pkg: validate, pkg-build with progress, status, list', function () {
  this.timeout(60_000);
  const cli = usePlatformCli({ tempDir: 'hfit-cli-pkg-' });
  let template: string;
  let badTemplate: string;

  beforeEach(async () => {
    template = path.join(cli.dir, 'order_incident.yaml');
    await writeFile(template, cli.platform.fixture.template);
    badTemplate = path.join(cli.dir, 'bad.yaml');
    await writeFile(badTemplate, cli.platform.fixture.template.replace(`table: ${cli.platform.fixture.my.name}.orders`, `table: ${cli.platform.fixture.my.name}.ordrs`).replace('volume: invoices, path', 'volume: scans, path'));
  });

  describe('pkg validate', () => {
    it('checks the schema and variables locally, and the arguments when given', async () => {
      const ok = await runCommand(PkgValidate, [template], { env: cli.home.env });
      expect(ok.exitCode, ok.stderr).to.equal(0);
      expect(ok.stdout).to.equal(`${template}: template order_incident is valid: 7 exports, package order_$1, needs 1 argument: $1 (orderId)\n`);
      const json = await runCommand(PkgValidate, [template, '--arg', 'orderId=3', '--json'], { env: cli.home.env });
      expect(json.json<ValidateResult>()).to.deep.include({ valid: true, requiredInputs: 1, inputsChecked: true, templateName: 'order_incident' });

      const unknownVar = path.join(cli.dir, 'unknown.yaml');
      await writeFile(unknownVar, cli.platform.fixture.template.replace('path: "invoice_${orderId}.txt"', 'path: "invoice_${ordreId}.txt"'));
      const invalid = await runCommand(PkgValidate, [unknownVar], { env: cli.home.env });
      expect(invalid.exitCode).to.equal(4);
      const lines = invalid.stderr.trimEnd().split('\n');
      expect(lines[0]).to.equal(`hfit: ${unknownVar} is not a valid template: 1 problem (VARIABLE_UNKNOWN)`);
      const line = cli.platform.fixture.template.split('\n').findIndex((l) => l.includes('invoice.txt:')) + 1;
      expect(lines[1]).to.match(new RegExp(`^ {2}- exports\\.invoice\\.txt\\.data\\.path, line ${line}: unknown variable \\$\\{ordreId\\}`));

      const args = await runCommand(PkgValidate, [template, '--arg', 'nope=1', '--json'], { env: cli.home.env });
      expect(args.exitCode).to.equal(4);
      expect(args.json<JsonError>().error).to.deep.include({ code: 'INPUT_OUT_OF_RANGE', exitCode: 4 });
      expect(args.json<JsonError>().error.problems).to.deep.equal([
        { field: '--arg nope', message: '"nope" is not an input variable of template "order_incident": use one of orderId' },
        { field: 'args', message: 'template "order_incident" needs $1 (orderId): pass it as argument 1 or by name (orderId)' },
      ]);
    });

    it('with --remote lets the server check sources, tables and volumes', async () => {
      const ok = await runCommand<ValidateResult>(PkgValidate, [template, '3', '--remote', '--json'], { env: cli.env });
      expect(ok.exitCode, ok.stderr).to.equal(0);
      expect(ok.json<ValidateResult>().remote).to.deep.include({ valid: true, inputs: ['3'], requiredInputs: 1 });
      const bad = await runCommand(PkgValidate, [badTemplate, '3', '--remote'], { env: cli.env });
      expect(bad.exitCode).to.equal(4);
      expect(bad.stderr).to.match(/^hfit: the server rejects .*\(TEMPLATE_INVALID\)\n {2}- exports\.(invoice\.txt\.data\.volume|orders\.data\.sql\.data\.table)/);
      expect(bad.stderr.match(/^ {2}- /gm)).to.have.length(2);
      const local = await runCommand(PkgValidate, [badTemplate, '3'], { env: cli.env });
      expect(local.exitCode, 'the local check knows no server names').to.equal(0);
    });
  });

  describe('pkg-build', () => {
    it('--json: exit 0 with the build id and the artifact sha256, as the API records them', async () => {
      const run = await runCommand<BuildResult>(PkgBuild, [template, '3', '--json', '--interval', '100'], { env: cli.env });
      expect(run.exitCode, run.stderr).to.equal(0);
      const result = run.json<BuildResult>();
      const view = await cli.platform.fixture.service.get({ user: 'alice' }, result.id);
      expect(result).to.deep.include({ id: view.id, state: 'succeeded', packageName: 'order_3', sha256: view.artifact!.sha256 });
      expect(result.sha256).to.match(/^[0-9a-f]{64}$/);
      expect(result.build.progress.exportsDone).to.equal(7);
      expect(run.stderr).to.equal('');
    });

    it('shows progress per export as plain lines off a terminal, and rewrites one line on a terminal', async () => {
      const plain = await runCommand(PkgBuild, [template, '4', '--interval', '100'], { env: cli.env });
      expect(plain.exitCode, plain.stderr).to.equal(0);
      expect(plain.stdout).to.not.include('\r');
      const lines = plain.stdout.trimEnd().split('\n');
      expect(lines[0]).to.match(/^build \w+ submitted \(.*order_incident\.yaml\)$/);
      expect(lines.some((l) => /^ {2}done {2}orders\.data\.sql {2}\d+ rows {2}[\d.]+ k?B/.test(l))).to.equal(true);
      expect(lines.filter((l) => /^ {2}done {2}/.test(l))).to.have.length(7);
      expect(lines.at(-1)).to.match(/^succeeded {2}build \w+ {2}order_4\.tar\.gz {2}[\d.]+ kB {2}sha256 [0-9a-f]{64}$/);
      const tty = await runCommand(PkgBuild, [template, '5', '--interval', '100'], { env: cli.env, tty: true });
      expect(tty.exitCode, tty.stderr).to.equal(0);
      expect(tty.stdout).to.match(/\r. build \w+ {2}(queued|running)/);
      expect(tty.stdout).to.include('\u001b[K');
      expect(tty.stdout).to.include('\u001b[32msucceeded\u001b[39m');
    });

    it('builds a stored template by --name with --arg and --format zip', async () => {
      await cli.platform.app.templates.create('alice', cli.platform.fixture.template);
      try {
        const run = await runCommand<BuildResult>(PkgBuild, ['--name', 'order_incident', '--arg', 'orderId=6', '--format', 'zip', '--json', '--interval', '100'], { env: cli.env });
        expect(run.exitCode, run.stderr).to.equal(0);
        expect(run.json<BuildResult>().artifact).to.deep.include({ name: 'order_6.zip', format: 'zip' });
      } finally {
        await cli.platform.app.templates.delete('alice', 'order_incident');
      }
    });

    it('exits 3 with the server error code when the build fails, and 1 when the submit is refused', async () => {
      const failed = await runCommand(PkgBuild, [template, '99999', '--json', '--interval', '100'], { env: cli.env });
      expect(failed.exitCode).to.equal(3);
      const error = failed.json<JsonError>().error;
      expect(error).to.deep.include({ code: 'QUERY_NO_ROW', exitCode: 3 });
      expect(error.build?.state).to.equal('failed');
      const text = await runCommand(PkgBuild, [template, '99998', '--interval', '100'], { env: cli.env });
      expect(text.exitCode).to.equal(3);
      expect(text.stderr).to.match(/^hfit: build \w+ failed: .+ \(QUERY_NO_ROW\)\nhint: details: `hfit pkg status \w+`\n$/);

      const refused = await runCommand(PkgBuild, [badTemplate, '3'], { env: cli.env });
      expect(refused.exitCode).to.equal(1);
      expect(refused.stderr.split('\n')[0]).to.match(/\(TEMPLATE_INVALID\)$/);
      const missing = await runCommand(PkgBuild, [path.join(cli.dir, 'nope.yaml')], { env: cli.env });
      expect(missing.exitCode).to.equal(2);
      expect(missing.stderr).to.match(/no such file/);
    });

    it('shows a build with pkg status and lists builds with pkg list', async () => {
      const built = (await runCommand<BuildResult>(PkgBuild, [template, '7', '--json', '--interval', '100'], { env: cli.env })).json<BuildResult>();
      const status = await runCommand(PkgStatus, [built.id], { env: cli.env });
      expect(status.stdout.split('\n')[0]).to.equal(`build ${built.id}  succeeded`);
      expect(status.stdout).to.include(`artifact  order_7.tar.gz`);
      expect(status.stdout).to.match(/^ {2}customers\.data\.sql +done +1 row {2}/m);
      const json = await runCommand<BuildResult>(PkgStatus, [built.id, '--json'], { env: cli.env });
      expect(json.json<BuildResult>().sha256).to.equal(built.sha256);
      const list = await runCommand<BuildList>(PkgList, ['--package', 'order_7', '--json'], { env: cli.env });
      expect(list.json<BuildList>().items.map((b) => b.id)).to.deep.equal([built.id]);
      const unknown = await runCommand(PkgStatus, ['0m3x9k2ab5f0c1d2e3f4a5b6c7'], { env: cli.env });
      expect(unknown.exitCode).to.equal(1);
      expect(unknown.stderr).to.match(/\(BUILD_NOT_FOUND\)\n$/);
    });
  });
});

describe('hfit pkg without a worker: --no-wait, status, list and cancel of a queued build', function () {
  this.timeout(60_000);
  const cli = usePlatformCli({ worker: false, tempDir: 'hfit-cli-queue-', perTest: false });

  it('returns the id at once, shows it queued, cancels it; downloading it then exits 3', async () => {
    const file = path.join(cli.dir, 't.yaml');
    await writeFile(file, cli.platform.fixture.template);
    const queued = await runCommand<QueuedBuildResult>(PkgBuild, [file, '3', '--no-wait', '--json'], { env: cli.env });
    expect(queued.exitCode, queued.stderr).to.equal(0);
    const { id, state } = queued.json<QueuedBuildResult>();
    expect(state).to.equal('queued');
    const text = await runCommand(PkgBuild, [file, '4', '--no-wait'], { env: cli.env });
    expect(text.stdout).to.match(/^build \w+ queued \(.*t\.yaml\)\nfollow it: hfit pkg status \w+ {3}download it when done: hfit pkg-download \w+\n$/);

    expect((await runCommand<BuildResult>(PkgStatus, [id, '--json'], { env: cli.env })).json<BuildResult>().state).to.equal('queued');
    const listed = await runCommand<BuildList>(PkgList, ['--state', 'queued', '--json'], { env: cli.env });
    expect(listed.json<BuildList>().items.map((b) => b.id)).to.include(id);
    const cancelled = await runCommand(PkgCancel, [id], { env: cli.env });
    expect(cancelled.stdout).to.equal(`build ${id} cancelled\n`);
    const again = await runCli(['pkg', 'status', id, '--json'], { env: cli.env });
    expect(again.json<BuildResult>().state).to.equal('cancelled');
    const download = await runCommand(PkgDownload, [id, '--dir', cli.dir, '--json'], { env: cli.env });
    expect(download.exitCode).to.equal(3);
    expect(download.json<JsonError>().error).to.deep.include({ code: 'BUILD_CANCELLED', exitCode: 3 });
  });
});
