import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isHfitError, type HfitError, type Manifest } from '@hfit/contracts';
import { expect } from 'chai';
import { verifyPackage } from './verify-package.js';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

function manifestOf(files: Record<string, string>, extra: Manifest['files'] = []): Manifest {
  return {
    manifestVersion: 1,
    hfitVersion: 1,
    templateName: 'tpl',
    packageName: 'pkg',
    templateText: '',
    inputs: [],
    variables: [],
    sources: [],
    files: [...Object.entries(files).map(([p, content]) => ({ path: p, export: p, type: 'file' as const, bytes: Buffer.byteLength(content), sha256: sha(content) })), ...extra],
    totals: { files: 0, bytes: 0, rows: 0 },
  };
}

async function writeTree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [p, content] of Object.entries(files)) {
    const full = path.join(dir, ...p.split('/'));
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, content);
  }
}

async function rejected(p: Promise<unknown>): Promise<HfitError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isHfitError(e)) throw e ?? new Error('expected an HfitError');
  return e;
}

describe('verifyPackage', () => {
  const files = { 'data/a.sql': 'INSERT 1;\n', 'data/b.csv': 'x,y\n', 'files/c.txt': 'c' };
  let root: string;
  let dir: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'hfit-verify-'));
    dir = path.join(root, 'pkg');
    await writeTree(dir, { ...files, 'METADATA/manifest.json': JSON.stringify(manifestOf(files)) });
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('finds nothing wrong with a package that matches its manifest', async () => {
    const { manifest, problems } = await verifyPackage(dir);
    expect(problems).to.deep.equal([]);
    expect(manifest.files.map((f) => f.path)).to.deep.equal(Object.keys(files));
  });

  it('reports missing, changed, resized and extra files', async () => {
    await rm(path.join(dir, 'data', 'a.sql'));
    await writeFile(path.join(dir, 'data', 'b.csv'), 'x,z\n');
    await writeFile(path.join(dir, 'files', 'c.txt'), 'longer');
    await writeTree(dir, { 'notes.txt': 'mine', 'METADATA/other.json': '{}' });
    await symlink('/etc/passwd', path.join(dir, 'files', 'link'));
    const { problems } = await verifyPackage(dir);
    expect(problems).to.deep.equal([
      'data/a.sql: missing',
      `data/b.csv: sha256 ${sha('x,z\n')}, the manifest says ${sha('x,y\n')}`,
      'files/c.txt: 6 bytes, the manifest says 1',
      'METADATA/other.json: not in the manifest',
      'files/link: not in the manifest (and not a regular file)',
      'notes.txt: not in the manifest',
    ]);
  });

  it('never opens a path of the manifest that leaves the folder or goes through a link', async () => {
    await writeFile(path.join(root, 'outside.txt'), 'outside');
    await mkdir(path.join(root, 'elsewhere'));
    await writeFile(path.join(root, 'elsewhere', 'x.txt'), 'x');
    await symlink(path.join(root, 'elsewhere'), path.join(dir, 'linked'));
    const manifest = manifestOf(files, [
      { path: '../outside.txt', export: 'e', type: 'file', bytes: 7, sha256: sha('outside') },
      { path: '/etc/hostname', export: 'e', type: 'file', bytes: 1, sha256: sha('x') },
      { path: 'linked/x.txt', export: 'e', type: 'file', bytes: 1, sha256: sha('x') },
      { path: 'data/a.sql', export: 'e', type: 'file', bytes: 10, sha256: sha('INSERT 1;\n') },
    ]);
    await writeFile(path.join(dir, 'METADATA', 'manifest.json'), JSON.stringify(manifest));
    const { problems } = await verifyPackage(dir);
    expect(problems).to.deep.equal([
      '../outside.txt: listed in the manifest, but the path has a ".." segment, which would climb out of its folder',
      '/etc/hostname: listed in the manifest, but the path is an absolute path',
      'linked/x.txt: missing',
      'data/a.sql: listed twice in the manifest',
      'linked: not in the manifest (and not a regular file)',
    ]);
  });

  it('fails when there is no manifest or it is not one', async () => {
    await rm(path.join(dir, 'METADATA', 'manifest.json'));
    const missing = await rejected(verifyPackage(dir));
    expect(missing.code).to.equal('FILE_NOT_FOUND');
    expect(missing.message).to.match(/manifest\.json does not exist: is .* an unpacked hfit package\?/);
    await writeFile(path.join(dir, 'METADATA', 'manifest.json'), '{not json');
    expect((await rejected(verifyPackage(dir))).message).to.match(/is not JSON/);
    await writeFile(path.join(dir, 'METADATA', 'manifest.json'), JSON.stringify({ ...manifestOf(files), manifestVersion: 2 }));
    const invalid = await rejected(verifyPackage(dir));
    expect(invalid.code).to.equal('FORMAT_UNSUPPORTED');
    expect(invalid.message).to.match(/is not a manifest this hfit version reads: manifestVersion/);
  });
});
