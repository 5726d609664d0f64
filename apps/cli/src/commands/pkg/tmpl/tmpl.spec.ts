import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildTarGz } from '@hfit/api/testing';
import type { PatchResult, TemplateSummary, TemplateText, UploadReport } from '@hfit/contracts';
import { expect } from 'chai';
import { startCliPlatform, type CliPlatform } from '../../../testing/cli-platform.js';
import { runCli, runCommand } from '../../../testing/run-command.js';
import { tempHome, type TempHome } from '../../../testing/temp-home.js';
import TmplCreate from './create.js';
import TmplDelete from './delete.js';
import TmplList from './list.js';
import TmplPatch from './patch.js';
import TmplShow from './show.js';
import TmplUpdate from './update.js';
import TmplUpload from './upload.js';

describe('hfit pkg-tmpl: list, show, create, update, patch, delete, upload of stored templates', function () {
  this.timeout(60_000);
  let platform: CliPlatform;
  let home: TempHome;
  let env: Record<string, string | undefined>;
  let dir: string;

  before(async () => {
    platform = await startCliPlatform();
  });

  after(async () => {
    await platform?.close();
  });

  beforeEach(async () => {
    home = await tempHome();
    env = { ...home.env, ...platform.env };
    dir = await mkdtemp(path.join(tmpdir(), 'hfit-cli-tmpl-'));
  });

  afterEach(async () => {
    for (const t of await platform.app.templates.list('alice')) await platform.app.templates.delete('alice', t.name);
    await rm(dir, { recursive: true, force: true });
    await home.dispose();
  });

  it('creates from a file, lists, shows it exactly as stored, updates, patches with a diff and deletes', async () => {
    const file = path.join(dir, 'order_incident.yaml');
    const text = `# kept as written\n${platform.fixture.template}`;
    await writeFile(file, text);
    const created = await runCommand(TmplCreate, [file, '--json'], { env });
    expect(created.exitCode, created.stderr).to.equal(0);
    expect(created.json()).to.have.keys(['name', 'sha256', 'updatedAt']);
    expect(created.json<{ name: string }>().name).to.equal('order_incident');

    const taken = await runCommand(TmplCreate, [file], { env });
    expect(taken.exitCode).to.equal(1);
    expect(taken.stderr).to.match(/\(TEMPLATE_EXISTS\)\n$/);

    const list = await runCommand(TmplList, ['--json'], { env });
    expect(list.json<{ templates: TemplateSummary[] }>().templates.map((t) => t.name)).to.deep.equal(['order_incident']);
    const show = await runCommand(TmplShow, ['order_incident'], { env });
    expect(show.stdout).to.equal(text);

    await writeFile(file, text.replace('packageName: order_$1', 'packageName: incident_$1'));
    const updated = await runCommand(TmplUpdate, [file], { env });
    expect(updated.exitCode, updated.stderr).to.equal(0);
    expect((await runCommand<TemplateText>(TmplShow, ['order_incident', '--json'], { env })).result?.text).to.include('packageName: incident_$1');

    const patched = await runCommand<PatchResult>(TmplPatch, ['order_incident', 'packageName=case_$1', 'projectName=shop'], { env });
    expect(patched.exitCode, patched.stderr).to.equal(0);
    expect(patched.stdout).to.equal('~ packageName: "incident_$1" -> "case_$1"\n+ projectName: "shop"\n');
    const removed = await runCommand<PatchResult>(TmplPatch, ['order_incident', 'projectName=null', '--json'], { env });
    expect(removed.json<PatchResult>().diff).to.deep.equal([{ key: 'projectName', op: 'removed', before: 'shop' }]);
    const invalid = await runCommand(TmplPatch, ['order_incident', 'exports={}'], { env });
    expect(invalid.exitCode).to.equal(1);
    expect(invalid.stderr).to.match(/\((TEMPLATE_INVALID|REQUEST_INVALID)\)/);

    const deleted = await runCommand(TmplDelete, ['order_incident', '--json'], { env });
    expect(deleted.json()).to.deep.equal({ deleted: 'order_incident' });
    const gone = await runCommand(TmplShow, ['order_incident'], { env });
    expect(gone.exitCode).to.equal(1);
    expect(gone.stderr).to.match(/\(TEMPLATE_NOT_FOUND\)\n$/);
  });

  it('uploads a .tar.gz with a report per file; a refused file makes the exit code 1', async () => {
    const archive = path.join(dir, 'templates.tar.gz');
    const other = platform.fixture.template.replace('templateName: order_incident', 'templateName: order_copy');
    await writeFile(archive, buildTarGz([{ name: 'a/order_incident.yaml', content: platform.fixture.template }, { name: 'a/copy.yaml', content: other }, { name: 'a/readme.txt', content: 'x' }]));
    const ok = await runCommand<UploadReport>(TmplUpload, [archive, '--json'], { env });
    expect(ok.exitCode, ok.stderr).to.equal(0);
    expect(ok.json<UploadReport>().counts).to.deep.equal({ created: 2, updated: 0, unchanged: 0, skipped: 1, error: 0 });

    await writeFile(archive, buildTarGz([{ name: 'copy.yaml', content: other.replace('order_$1', 'copy_$1') }, { name: 'bad.yaml', content: 'hfitVersion: 2\n' }]));
    const refused = await runCommand(TmplUpload, [archive], { env });
    expect(refused.exitCode).to.equal(1);
    expect(refused.stdout).to.match(/^copy\.yaml\s+order_copy\s+error\s+TEMPLATE_EXISTS: /m);
    expect(refused.stderr).to.equal('hfit: 2 of the uploaded files were refused (UPLOAD_PARTIAL)\n');
    const overwrite = await runCommand<UploadReport>(TmplUpload, [archive, '--overwrite', '--json'], { env });
    expect(overwrite.exitCode).to.equal(1);
    expect(overwrite.json<{ error: { report: UploadReport } }>().error.report.counts).to.deep.include({ updated: 1, error: 1 });
  });

  it('answers to `hfit pkg-tmpl <verb>` and `hfit pkg tmpl <verb>`', async () => {
    await platform.app.templates.create('alice', platform.fixture.template);
    const hyphen = await runCli(['pkg-tmpl', 'list', '--json'], { env });
    expect(hyphen.json<{ templates: TemplateSummary[] }>().templates.map((t) => t.name)).to.deep.equal(['order_incident']);
    const spaced = await runCli(['pkg', 'tmpl', 'show', 'order_incident'], { env });
    expect(spaced.stdout).to.equal(platform.fixture.template);
  });
});
