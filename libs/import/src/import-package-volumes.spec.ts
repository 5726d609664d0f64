import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { access, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isHfitError } from '@hfit/contracts';
import { createScratchDatabase, type ScratchDatabase } from '@hfit/db/testing';
import type { ImportEvent } from './import-event.js';
import { importPackage } from './import-package.js';
import { buildTestPackage } from './testing/build-test-package.js';
import { rejection } from './testing/rejection.js';
import { readManifest, writeManifest } from './testing/rewrite-package-file.js';
import { targetUrl } from './testing/target-url.js';
import { useImportFixture } from './testing/use-import-fixture.js';

describe('importPackage: volume files', function () {
  this.timeout(120_000);
  const fx = useImportFixture({ workPrefix: 'hfit-import-vol-' });
  const target = () => fx.target('mysql');
  let volumeRoot: string;
  let source: ScratchDatabase;
  const tableCount = async (db: ScratchDatabase) =>
    Number((await db.query<{ n: string }>('SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()'))[0]?.n);

  before(async () => {
    volumeRoot = path.join(fx.work, 'volume');
    await mkdir(path.join(volumeRoot, 'att', 'deep'), { recursive: true });
    await writeFile(path.join(volumeRoot, 'readme.txt'), 'read me\n');
    await writeFile(path.join(volumeRoot, 'att', 'a.bin'), Buffer.from([0, 1, 2, 255]));
    await writeFile(path.join(volumeRoot, 'att', 'deep', 'b.txt'), 'é'.repeat(100_000));
    source = await createScratchDatabase('mysql', 'hfit_src');
    await source.exec('CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1), (2);');
  });

  after(async () => {
    await source?.drop();
  });

  const build = (name: string) =>
    buildTestPackage(
      fx.work,
      `hfitVersion: 1
templateName: vol
packageName: ${name}
exports:
  schema.sql: { type: dbcreate, data: { dbms: src, tablelist: [${source.name}] } }
  t.data.sql: { type: table-data, data: { dbms: src, table: ${source.name}.t } }
  docs/readme.txt: { type: file, data: { volume: vol, path: readme.txt } }
  attachments: { type: files, data: { volume: vol, glob: "att/**" } }
`,
      [{ ...source.source, name: 'src' }],
      { volumes: [{ name: 'vol', root: volumeRoot, symlinks: 'confine' }] },
    );

  it('copies the volume files beside the package, keeping their package paths and bytes', async () => {
    const dir = await build('vol_ok');
    const db = await target();
    const events: ImportEvent[] = [];
    const report = await importPackage(dir, { target: targetUrl(db), onProgress: (e) => events.push(e) });
    const filesDir = path.join(fx.work, 'hfit-data', 'vol_ok-files');

    expect(report.filesDir).to.equal(filesDir);
    const copied = report.files.map((f) => [path.relative(filesDir, f.to), f.bytes]);
    expect(copied).to.deep.equal([
      [path.join('attachments', 'att', 'a.bin'), 4],
      [path.join('attachments', 'att', 'deep', 'b.txt'), 200_000],
      [path.join('docs', 'readme.txt'), 8],
    ]);
    for (const f of report.files) expect(await readFile(f.to)).to.deep.equal(await readFile(f.from));
    const manifest = await readManifest(dir);
    for (const f of manifest.files.filter((x) => x.type === 'file' || x.type === 'files'))
      expect(createHash('sha256').update(await readFile(path.join(filesDir, f.path))).digest('hex'), f.path).to.equal(f.sha256);
    expect(events.filter((e) => e.type === 'file-done' && e.kind === 'volume').length).to.equal(3);
    expect(report.tables.map((t) => t.rows)).to.deep.equal([2]);

    // Importing again replaces the copies in place (no temporary files left behind).
    await importPackage(dir, { target: targetUrl(await target()), filesDir });
    expect((await readdir(path.join(filesDir, 'attachments', 'att'))).sort()).to.deep.equal(['a.bin', 'deep']);
  });

  it('refuses a manifest path leading out of the package before writing anything', async () => {
    const dir = await build('vol_traversal');
    const manifest = await readManifest(dir);
    const readme = manifest.files.find((f) => f.path === 'docs/readme.txt')!;
    await writeManifest(dir, { ...manifest, files: [...manifest.files, { ...readme, path: '../../escaped.txt' }] });
    const db = await target();

    const err = await rejection(importPackage(dir, { target: targetUrl(db) }));
    expect(isHfitError(err, 'IMPORT_PACKAGE_INVALID'), err.message).to.equal(true);
    expect(err.message).to.include('path "../../escaped.txt" has a ".." segment');
    expect(await tableCount(db)).to.equal(0);
    expect(await access(path.join(fx.work, 'escaped.txt')).then(() => 'exists', (e: NodeJS.ErrnoException) => e.code)).to.equal('ENOENT');
  });

  it('refuses a files folder whose subfolder links outside it, before writing anything', async () => {
    const dir = await build('vol_link');
    const filesDir = path.join(fx.work, 'linked-files');
    const outside = path.join(fx.work, 'outside');
    await mkdir(outside, { recursive: true });
    await mkdir(filesDir, { recursive: true });
    await symlink(outside, path.join(filesDir, 'attachments'));
    const db = await target();

    const err = await rejection(importPackage(dir, { target: targetUrl(db), filesDir }));
    expect(isHfitError(err, 'PATH_ESCAPE'), err.message).to.equal(true);
    expect(err.message).to.include(`${path.join(filesDir, 'attachments')} is a link to ${outside}`);
    expect(await tableCount(db)).to.equal(0);
    expect(await readdir(outside)).to.deep.equal([]);
    expect(await readdir(filesDir)).to.deep.equal(['attachments']);
  });
});
