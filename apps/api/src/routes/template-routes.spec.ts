import { randomBytes, randomUUID } from 'node:crypto';
import { BuildAcceptedSchema, BuildViewSchema, PatchResultSchema, TemplateListSchema, TemplateTextSchema, UploadReportSchema } from '@hfit/contracts';
import type { Problem, UploadReport } from '@hfit/contracts';
import { expect } from 'chai';
import { startPlatformApp, type PlatformApp } from '../testing/platform-app.js';
import { buildTarGz } from '../testing/tar-gz.js';

const JSON_TYPE = { 'Content-Type': 'application/json' };

/** A valid template named `name`, with comments (kept verbatim by every write and patch). */
function templateText(name: string, projectName = 'demo'): string {
  return [
    '# kept verbatim',
    'hfitVersion: 1',
    `templateName: ${name}   # stored under this name`,
    `projectName: ${projectName}`,
    '',
    'exports:',
    '  invoice.txt: { type: file, data: { volume: invoices, path: "invoice_$1.txt" } }',
    '',
  ].join('\n');
}

async function problem(res: Response): Promise<Problem> {
  expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
  return (await res.json()) as Problem;
}

describe('template routes on a real object store', function () {
  this.timeout(60_000);
  let p: PlatformApp;
  let name: string;
  beforeEach(async () => {
    p = await startPlatformApp();
    name = `t-${randomUUID().slice(0, 8)}`;
  });
  afterEach(async () => {
    await p.close();
  });

  const create = (text: string, token?: string) =>
    p.app.fetch('/v1/templates', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ text }), ...(token === undefined ? {} : { token }) });

  it('creates, reads as JSON or YAML, lists, replaces and deletes a template', async () => {
    const text = templateText(name);
    const created = await create(text);
    expect(created.status).to.equal(201);
    expect(created.headers.get('location')).to.equal(`/v1/templates/${name}`);
    const body = TemplateTextSchema.parse(await created.json());
    expect(body).to.deep.include({ name, text });
    expect(body.sha256).to.match(/^[0-9a-f]{64}$/);

    const json = await p.app.fetch(`/v1/templates/${name}`);
    expect(TemplateTextSchema.parse(await json.json())).to.deep.equal(body);
    const yaml = await p.app.fetch(`/v1/templates/${name}`, { headers: { Accept: 'application/yaml' } });
    expect(yaml.status).to.equal(200);
    expect(yaml.headers.get('content-type')).to.equal('application/yaml; charset=utf-8');
    expect(yaml.headers.get('vary')).to.match(/Accept/);
    expect(await yaml.text()).to.equal(text);
    const head = await p.app.fetch(`/v1/templates/${name}`, { method: 'HEAD' });
    expect(head.status).to.equal(200);

    const list = TemplateListSchema.parse(await (await p.app.fetch('/v1/templates')).json());
    expect(list.items).to.deep.equal([{ name, size: Buffer.byteLength(text), updatedAt: list.items[0]!.updatedAt, sha256: body.sha256 }]);

    const replacement = templateText(name, 'second');
    const put = await p.app.fetch(`/v1/templates/${name}`, { method: 'PUT', headers: { 'Content-Type': 'application/yaml' }, body: replacement });
    expect(put.status).to.equal(200);
    expect(TemplateTextSchema.parse(await put.json()).text).to.equal(replacement);
    const putJson = await p.app.fetch(`/v1/templates/${name}`, { method: 'PUT', headers: JSON_TYPE, body: JSON.stringify({ text }) });
    expect(TemplateTextSchema.parse(await putJson.json()).sha256).to.equal(body.sha256);

    const del = await p.app.fetch(`/v1/templates/${name}`, { method: 'DELETE' });
    expect(del.status).to.equal(204);
    expect(await del.text()).to.equal('');
    const gone = await p.app.fetch(`/v1/templates/${name}`);
    expect(gone.status).to.equal(404);
    expect((await problem(gone)).code).to.equal('TEMPLATE_NOT_FOUND');
    expect((await p.app.fetch(`/v1/templates/${name}`, { method: 'DELETE' })).status).to.equal(404);
    expect(TemplateListSchema.parse(await (await p.app.fetch('/v1/templates')).json()).items).to.deep.equal([]);
  });

  it('keeps each user to their own templates', async () => {
    const ci = p.tokens['ci-bot']!;
    expect((await create(templateText(name))).status).to.equal(201);
    expect(TemplateListSchema.parse(await (await p.app.fetch('/v1/templates', { token: ci })).json()).items).to.deep.equal([]);
    expect((await p.app.fetch(`/v1/templates/${name}`, { token: ci })).status).to.equal(404);
    expect((await p.app.fetch(`/v1/templates/${name}`, { method: 'DELETE', token: ci })).status).to.equal(404);
    // The same name is free for another user, and theirs is another text.
    expect((await create(templateText(name, 'ci'), ci)).status).to.equal(201);
    expect(TemplateTextSchema.parse(await (await p.app.fetch(`/v1/templates/${name}`)).json()).text).to.equal(templateText(name));
  });

  it('answers invalid text, taken names, renames and bad names with their problems', async () => {
    const invalid = await create('hfitVersion: 2\ntemplateName: x\nexports:\n  a.sql: { type: no-such-type, data: {} }\n');
    expect(invalid.status).to.equal(422);
    const body = await problem(invalid);
    expect(body.code).to.equal('TEMPLATE_INVALID');
    expect(body.errors?.length).to.be.greaterThan(1);
    expect(body.errors?.every((e) => typeof e.line === 'number')).to.equal(true);
    expect((await create(templateText(name))).status).to.equal(201);
    const taken = await create(templateText(name, 'again'));
    expect(taken.status).to.equal(409);
    expect((await problem(taken)).code).to.equal('TEMPLATE_EXISTS');
    const renamed = await p.app.fetch(`/v1/templates/${name}`, { method: 'PUT', headers: { 'Content-Type': 'text/yaml' }, body: templateText(`${name}-2`) });
    expect(renamed.status).to.equal(422);
    expect((await problem(renamed)).code).to.equal('TEMPLATE_NAME_MISMATCH');
    const missing = await p.app.fetch('/v1/templates/nope', { method: 'PUT', headers: { 'Content-Type': 'text/yaml' }, body: templateText('nope') });
    expect(missing.status).to.equal(404);
    const badName = await p.app.fetch('/v1/templates/..%2Fetc');
    expect(badName.status).to.equal(400);
    expect((await problem(badName)).errors?.map((e) => e.field)).to.deep.equal(['params.name']);
    const wrongType = await p.app.fetch('/v1/templates', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: templateText(name) });
    expect(wrongType.status).to.equal(415);
    const unacceptable = await p.app.fetch(`/v1/templates/${name}`, { headers: { Accept: 'text/html' } });
    expect(unacceptable.status).to.equal(406);
  });

  it('patches top-level keys (merge patch) and answers the diff, comments kept', async () => {
    expect((await create(templateText(name))).status).to.equal(201);
    const patch = async (body: unknown, type = 'application/merge-patch+json') =>
      p.app.fetch(`/v1/templates/${name}`, { method: 'PATCH', headers: { 'Content-Type': type }, body: JSON.stringify(body) });
    const first = await patch({ projectName: 'renamed', packageName: 'pkg_$1' });
    expect(first.status).to.equal(200);
    const result = PatchResultSchema.parse(await first.json());
    expect(result.diff).to.deep.equal([
      { key: 'projectName', op: 'changed', before: 'demo', after: 'renamed' },
      { key: 'packageName', op: 'added', after: 'pkg_$1' },
    ]);
    expect(result.text).to.contain('# kept verbatim').and.to.contain('# stored under this name').and.to.contain('projectName: renamed');
    expect(TemplateTextSchema.parse(await (await p.app.fetch(`/v1/templates/${name}`)).json()).text).to.equal(result.text);
    const removed = PatchResultSchema.parse(await (await patch({ projectName: null }, 'application/json')).json());
    expect(removed.diff).to.deep.equal([{ key: 'projectName', op: 'removed', before: 'renamed' }]);
    expect(removed.text).not.to.contain('projectName');
    const same = PatchResultSchema.parse(await (await patch({ packageName: 'pkg_$1' })).json());
    expect(same.diff).to.deep.equal([]);
    expect(same.sha256).to.equal(removed.sha256);

    const rename = await patch({ templateName: 'other' });
    expect(rename.status).to.equal(422);
    expect((await problem(rename)).code).to.equal('TEMPLATE_NAME_MISMATCH');
    const breaks = await patch({ hfitVersion: 3 });
    expect(breaks.status).to.equal(422);
    const notAMap = await patch(['projectName']);
    expect(notAMap.status).to.equal(400);
    expect((await patch({ projectName: 'x' }, 'application/yaml')).status).to.equal(415);
    expect((await p.app.fetch('/v1/templates/nope', { method: 'PATCH', headers: JSON_TYPE, body: '{"projectName":"x"}' })).status).to.equal(404);
  });

  it('uploads a .tar.gz and reports on every entry; overwrite replaces changed templates', async () => {
    const a = `${name}-a`;
    const b = `${name}-b`;
    const archive = buildTarGz([
      { name: 'templates/', type: 'directory' },
      { name: 'templates/a.yaml', content: templateText(a) },
      { name: 'templates/b.yml', content: templateText(b) },
      { name: 'templates/README.md', content: '# not a template' },
      { name: 'templates/bad.yaml', content: 'hfitVersion: 2\ntemplateName: bad\nexports: {}\n' },
      { name: 'templates/dup.yaml', content: templateText(a, 'dup') },
      { name: '../evil.yaml', content: templateText(`${name}-evil`) },
      { name: 'templates/link.yaml', type: 'symlink', linkname: '/etc/passwd' },
    ]);
    const upload = (bytes: Buffer, query = '', type = 'application/gzip') =>
      p.app.fetch(`/v1/templates/upload${query}`, { method: 'POST', headers: { 'Content-Type': type }, body: bytes });
    const first = await upload(archive);
    expect(first.status).to.equal(200);
    const report: UploadReport = UploadReportSchema.parse(await first.json());
    expect(report.files.map((f) => [f.file, f.status, f.name ?? null, f.error?.code ?? null])).to.deep.equal([
      ['templates/', 'skipped', null, null],
      ['templates/a.yaml', 'created', a, null],
      ['templates/b.yml', 'created', b, null],
      ['templates/README.md', 'skipped', null, null],
      ['templates/bad.yaml', 'error', null, 'TEMPLATE_INVALID'],
      ['templates/dup.yaml', 'error', a, 'TEMPLATE_EXISTS'],
      ['../evil.yaml', 'error', null, report.files[6]!.error!.code],
      ['templates/link.yaml', 'error', null, report.files[7]!.error!.code],
    ]);
    expect(report.counts).to.deep.equal({ created: 2, updated: 0, unchanged: 0, skipped: 2, error: 4 });
    expect(TemplateListSchema.parse(await (await p.app.fetch('/v1/templates')).json()).items.map((i) => i.name)).to.deep.equal([a, b]);

    const changed = buildTarGz([
      { name: 'a.yaml', content: templateText(a, 'changed') },
      { name: 'b.yaml', content: templateText(b) },
    ]);
    const kept = UploadReportSchema.parse(await (await upload(changed, '', 'application/x-tar+gzip')).json());
    expect(kept.files.map((f) => [f.file, f.status, f.error?.code ?? null])).to.deep.equal([
      ['a.yaml', 'error', 'TEMPLATE_EXISTS'],
      ['b.yaml', 'unchanged', null],
    ]);
    const replaced = UploadReportSchema.parse(await (await upload(changed, '?overwrite=true', 'application/octet-stream')).json());
    expect(replaced.counts).to.deep.equal({ created: 0, updated: 1, unchanged: 1, skipped: 0, error: 0 });
    expect(TemplateTextSchema.parse(await (await p.app.fetch(`/v1/templates/${a}`)).json()).text).to.equal(templateText(a, 'changed'));
  });

  it('refuses an upload that is not gzip, of another media type, without a body, or with a bad overwrite', async () => {
    const notGzip = await p.app.fetch('/v1/templates/upload', { method: 'POST', headers: { 'Content-Type': 'application/gzip' }, body: 'plain text' });
    expect(notGzip.status).to.equal(400);
    expect((await problem(notGzip)).code).to.equal('UPLOAD_INVALID');
    const json = await p.app.fetch('/v1/templates/upload', { method: 'POST', headers: JSON_TYPE, body: '{}' });
    expect(json.status).to.equal(415);
    expect(json.headers.get('accept-post')).to.equal('application/gzip, application/x-gzip, application/x-tar+gzip, application/octet-stream');
    const empty = await p.app.fetch('/v1/templates/upload', { method: 'POST', headers: { 'Content-Type': 'application/gzip' } });
    expect(empty.status).to.equal(400);
    const overwrite = await p.app.fetch('/v1/templates/upload?overwrite=yes', { method: 'POST', headers: { 'Content-Type': 'application/gzip' }, body: buildTarGz([]) });
    expect(overwrite.status).to.equal(400);
    expect((await problem(overwrite)).errors?.map((e) => e.field)).to.deep.equal(['query.overwrite']);
  });

  it('submits a build by templateName: 202, and the build is queued from the stored text', async () => {
    expect((await create(p.fixture.template)).status).to.equal(201);
    const res = await p.app.fetch('/v1/builds', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ templateName: 'order_incident', args: ['7'] }) });
    expect(res.status).to.equal(202);
    const accepted = BuildAcceptedSchema.parse(await res.json());
    expect(accepted.state).to.equal('queued');
    const view = BuildViewSchema.parse(await (await p.app.fetch(`/v1/builds/${accepted.id}`)).json());
    expect(view).to.deep.include({ state: 'queued', templateName: 'order_incident', owner: 'alice', args: ['7'] });
    const job = await p.fixture.buildQueue.getJob(accepted.id);
    expect(job?.data).to.deep.equal({ buildId: accepted.id });
    expect(await job!.getState()).to.equal('waiting');
    // The build holds the text it was submitted with.
    expect((await p.fixture.store.require(accepted.id)).templateText).to.equal(p.fixture.template);

    const other = await p.app.fetch('/v1/builds', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ templateName: 'order_incident', args: ['7'] }), token: p.tokens['ci-bot']! });
    expect(other.status).to.equal(404);
    expect((await problem(other)).code).to.equal('TEMPLATE_NOT_FOUND');
    // A stored template is checked against the sources like any other.
    const broken = p.fixture.template.replace('templateName: order_incident', `templateName: ${name}`).replaceAll(`${p.fixture.my.name}.orders`, `${p.fixture.my.name}.no_such_table`);
    expect((await create(broken)).status).to.equal(201);
    const refused = await p.app.fetch('/v1/builds', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ templateName: name, args: ['7'] }) });
    expect(refused.status).to.equal(422);
    expect((await problem(refused)).code).to.equal('TABLE_UNKNOWN');
  });
});

describe('template upload limit', function () {
  this.timeout(60_000);
  let p: PlatformApp;
  before(async () => {
    p = await startPlatformApp({ config: (c) => ({ ...c, api: { ...c.api, uploadLimitBytes: 2048 } }) });
  });
  after(async () => {
    await p.close();
  });

  it('refuses an upload over api.uploadLimitBytes with 413 and stores nothing', async () => {
    // Random comments: gzip cannot shrink them below the limit.
    const big = buildTarGz(Array.from({ length: 4 }, (_, i) => ({ name: `t${i}.yaml`, content: `${templateText(`big-${i}`)}# ${randomBytes(1500).toString('base64')}\n` })));
    expect(big.length).to.be.greaterThan(2048);
    const res = await p.app.fetch('/v1/templates/upload', { method: 'POST', headers: { 'Content-Type': 'application/gzip' }, body: big });
    expect(res.status).to.equal(413);
    expect((await problem(res)).code).to.equal('PAYLOAD_TOO_LARGE');
    expect(TemplateListSchema.parse(await (await p.app.fetch('/v1/templates')).json()).items).to.deep.equal([]);
    const small = await p.app.fetch('/v1/templates/upload', { method: 'POST', headers: { 'Content-Type': 'application/gzip' }, body: buildTarGz([{ name: 'ok.yaml', content: templateText('ok') }]) });
    expect(small.status).to.equal(200);
  });
});
