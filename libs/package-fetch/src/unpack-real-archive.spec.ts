import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeDeterministicArchive } from '@hfit/archive';
import { expect } from 'chai';
import { unpackPackage } from './unpack-package.js';
import { verifyPackage } from './verify-package.js';
import { createHash } from 'node:crypto';

describe('unpackPackage on archives of the real writer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hfit-real-archive-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const format of ['tar.gz', 'zip'] as const) {
    it(`unpacks and verifies a ${format} written by writeDeterministicArchive`, async () => {
      const files: Record<string, string> = { 'a.sql': 'INSERT INTO t VALUES (1);\n', 'attachments/b c.txt': 'é\n', 'deep/x/y.csv': 'id\n1\n' };
      await mkdir(path.join(dir, 'src'), { recursive: true });
      const entries = [];
      for (const [rel, text] of Object.entries(files)) {
        const file = path.join(dir, 'src', rel.replace(/\//g, '_'));
        await writeFile(file, text);
        entries.push({ path: rel, file });
      }
      const manifest = {
        manifestVersion: 1,
        hfitVersion: 1,
        templateName: 't',
        packageName: 'pkg_1',
        templateText: 'x',
        inputs: [],
        variables: [],
        sources: [],
        files: Object.entries(files).map(([p, text]) => ({ path: p, export: p, type: 'file', bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') })),
        totals: { files: 3, bytes: 0, rows: 0 },
      };
      const archive = path.join(dir, `pkg.${format}`);
      await writeDeterministicArchive({
        format,
        topFolder: 'pkg_1',
        entries: [...entries, { path: 'METADATA/manifest.json', content: Buffer.from(JSON.stringify(manifest)) }],
        out: createWriteStream(archive),
      });
      const out = await unpackPackage(archive, { format, targetDir: path.join(dir, 'hfit-data'), packageName: 'pkg_1' });
      expect(out.dir).to.equal(path.join(dir, 'hfit-data', 'pkg_1'));
      for (const [rel, text] of Object.entries(files)) expect(await readFile(path.join(out.dir, rel), 'utf8')).to.equal(text);
      expect((await verifyPackage(out.dir)).problems).to.deep.equal([]);
    });
  }
});
