import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildTarGz } from '@hfit/api/testing';
import type { PatchResult, TemplateSummary, TemplateText, UploadReport } from '@hfit/contracts';
import { expect } from 'chai';
import { runCli, runCommand } from '../../../testing/run-command.js';
import { usePlatformCli } from '../../../testing/use-platform-cli.js';
import TmplCreate from './create.js';
import TmplDelete from './delete.js';
import TmplList from './list.js';
import TmplPatch from './patch.js';
import TmplShow from './show.js';
import TmplUpdate from './update.js';
import TmplUpload from './upload.js';

describe('hfit pkg-tmpl: list, show, create, update, patch, delete, upload of stored templates', function () {
  this.timeout(60_000);
  const cli = usePlatformCli({ tempDir: 'hfit-cli-tmpl-' });

  afterEach(async () => {
    for (const t of await cli.platform.app.templates.list('alice')) await cli.platform.app.templates.delete('alice', t.name);
  });

  it('creates from a file, lists, shows it exactly as stored, updates, patches with a diff and deletes', async () => {
    const file = path.join(cli.dir, 'order_incident.yaml');
    const text = `# kept as written\n${cli.platform.fixture.template}`;
    await writeFile(file, text);
    const created = await runCommand(TmplCreate, [file, '--json'], { env: cli.env });
    expect(created.exitCode, created.stderr).to.equal(0);
    expect(created.json()).to.have.keys(['name', 'sha256', 'updatedAt']);
    expect(created.json<{ name: string }>().name).to.equal('order_incident');

    const taken = await runCommand(TmplCreate, [file], { env: cli.env });
    expect(taken.exitCode).to.equal(1);
    expect(taken.stderr).to.match(/\(TEMPLATE_EXISTS\)\n$/);

    const list = await runCommand(TmplList, ['--json'], { env: cli.env });
    expect(list.json<{ templates: TemplateSummary[] }>().templates.map((t) => t.name)).to.deep.equal(['order_incident']);
    const show = await runCommand(TmplShow, ['order_incident'], { env: cli.env });
    expect(show.stdout).to.equal(text);

    await writeFile(file, text.replace('packageName: order_$1', 'packageName: incident_$1'));
    const updated = await runCommand(TmplUpdate, [file], { env: cli.env });
    expect(updated.exitCode, updated.stderr).to.equal(0);
    expect((await runCommand<TemplateText>(TmplShow, ['order_incident', '--json'], { env: cli.env })).result?.text).to.include('packageName: incident_$1');

    const patched = await runCommand<PatchResult>(TmplPatch, ['order_incident', 'packageName=case_$1', 'projectName=shop'], { env: cli.env });
    expect(patched.exitCode, patched.stderr).to.equal(0);
    expect(patched.stdout).to.equal('~ packageName: "incident_$1" -> "case_$1"\n+ projectName: "shop"\n');
    const removed = await runCommand<PatchResult>(TmplPatch, ['order_incident', 'projectName=null', '--json'], { env: cli.env });
    expect(removed.json<PatchResult>().diff).to.deep.equal([{ key: 'projectName', op: 'removed', before: 'shop' }]);
    const invalid = await runCommand(TmplPatch, ['order_incident', 'exports={}'], { env: cli.env });
    expect(invalid.exitCode).to.equal(1);
    expect(invalid.stderr).to.match(/\((TEMPLATE_INVALID|REQUEST_INVALID)\)/);

    const deleted = await runCommand(TmplDelete, ['order_incident', '--json'], { env: cli.env });
    expect(deleted.json()).to.deep.equal({ deleted: 'order_incident' });
    const gone = await runCommand(TmplShow, ['order_incident'], { env: cli.env });
    expect(gone.exitCode).to.equal(1);
    expect(gone.stderr).to.match(/\(TEMPLATE_NOT_FOUND\)\n$/);
  });

  it('uploads a .tar.gz with a report per file; a refused file makes the exit code 1', async () => {
    const archive = path.join(cli.dir, 'templates.tar.gz');
    const other = cli.platform.fixture.template.replace('templateName: order_incident', 'templateName: order_copy');
    await writeFile(archive, buildTarGz([{ name: 'a/order_incident.yaml', content: cli.platform.fixture.template }, { name: 'a/copy.yaml', content: other }, { name: 'a/readme.txt', content: 'x' }]));
    const ok = await runCommand<UploadReport>(TmplUpload, [archive, '--json'], { env: cli.env });
    expect(ok.exitCode, ok.stderr).to.equal(0);
    expect(ok.json<UploadReport>().counts).to.deep.equal({ created: 2, updated: 0, unchanged: 0, skipped: 1, error: 0 });

    await writeFile(archive, buildTarGz([{ name: 'copy.yaml', content: other.replace('order_$1', 'copy_$1') }, { name: 'bad.yaml', content: 'hfitVersion: 2\n' }]));
    const refused = await runCommand(TmplUpload, [archive], { env: cli.env });
    expect(refused.exitCode).to.equal(1);
    expect(refused.stdout).to.match(/^copy\.yaml\s+order_copy\s+error\s+TEMPLATE_EXISTS: /m);
    expect(refused.stderr).to.equal('hfit: 2 of the uploaded files were refused (UPLOAD_PARTIAL)\n');
    const overwrite = await runCommand<UploadReport>(TmplUpload, [archive, '--overwrite', '--json'], { env: cli.env });
    expect(overwrite.exitCode).to.equal(1);
    expect(overwrite.json<{ error: { report: UploadReport } }>().error.report.counts).to.deep.include({ updated: 1, error: 1 });
  });

  it('answers to `hfit pkg-tmpl <verb>` and `hfit pkg tmpl <verb>`', async () => {
    await cli.platform.app.templates.create('alice', cli.platform.fixture.template);
    const hyphen = await runCli(['pkg-tmpl', 'list', '--json'], { env: cli.env });
    expect(hyphen.json<{ templates: TemplateSummary[] }>().templates.map((t) => t.name)).to.deep.equal(['order_incident']);
    const spaced = await runCli(['pkg', 'tmpl', 'show', 'order_incident'], { env: cli.env });
    expect(spaced.stdout).to.equal(cli.platform.fixture.template);
  });
});
