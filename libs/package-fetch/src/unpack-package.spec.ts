import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { constants, crc32, createDeflateRaw, createGzip } from 'node:zlib';
import { isHfitError, type HfitError, type Manifest } from '@hfit/contracts';
import { samplePeakMemory } from '@hfit/contracts/testing';
import { expect } from 'chai';
import { pack } from 'tar-stream';
import { buildTarGz, type TarTestEntry } from './testing/tar-gz-archive.js';
import { treeSnapshot } from './testing/tree-snapshot.js';
import { buildZip, type ZipTestEntry } from './testing/zip-archive.js';
import { unpackPackage } from './unpack-package.js';
import { verifyPackage } from './verify-package.js';

const LONG_PATH = `files/${'deep-folder-name/'.repeat(8)}a-file-whose-path-needs-a-pax-header.txt`;

/** The files of a package as the worker writes them, with a manifest listing them. */
function packageFiles(): { path: string; content: Buffer }[] {
  const files = [
    { path: 'data/orders.sql', content: Buffer.from('INSERT INTO orders VALUES (1);\n') },
    { path: 'data/empty.csv', content: Buffer.alloc(0) },
    { path: 'files/rechnung €1.txt', content: Buffer.from('invoice\n') },
    { path: LONG_PATH, content: randomBytes(70_000) },
  ];
  const manifest: Manifest = {
    manifestVersion: 1,
    hfitVersion: 1,
    templateName: 'tpl',
    packageName: 'pkg',
    templateText: 'exports: {}\n',
    inputs: [],
    variables: [],
    sources: [],
    files: files.map((f) => ({ path: f.path, export: f.path, type: 'file', bytes: f.content.length, sha256: createHash('sha256').update(f.content).digest('hex') })),
    totals: { files: files.length, bytes: files.reduce((n, f) => n + f.content.length, 0), rows: 0 },
  };
  return [...files, { path: 'METADATA/manifest.json', content: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) }].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

/** Folders of `paths`, each once, parents first. */
function foldersOf(paths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const p of paths) {
    const segments = p.split('/');
    for (let i = 1; i < segments.length; i++) dirs.add(segments.slice(0, i).join('/'));
  }
  return [...dirs].sort();
}

/** Like the deterministic writer: the top folder and every folder as entries, then the files. */
function tarEntries(files: { path: string; content: Buffer }[], fileMode = 0o644): TarTestEntry[] {
  return [
    { name: 'pkg/', type: 'directory' },
    ...foldersOf(files.map((f) => f.path)).map((d): TarTestEntry => ({ name: `pkg/${d}/`, type: 'directory', mode: 0o755 })),
    ...files.map((f): TarTestEntry => ({ name: `pkg/${f.path}`, content: f.content, mode: fileMode })),
  ];
}

function zipEntries(files: { path: string; content: Buffer }[], fileMode = 0o100644): ZipTestEntry[] {
  return [
    { name: 'pkg/' },
    ...foldersOf(files.map((f) => f.path)).map((d): ZipTestEntry => ({ name: `pkg/${d}/` })),
    ...files.map((f): ZipTestEntry => ({ name: `pkg/${f.path}`, content: f.content, unixMode: fileMode })),
  ];
}

async function rejected(p: Promise<unknown>): Promise<HfitError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isHfitError(e)) throw e ?? new Error('expected an HfitError');
  return e;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('unpackPackage', () => {
  let root: string;
  let targetDir: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'hfit-unpack-'));
    targetDir = path.join(root, 'hfit-data');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  for (const format of ['tar.gz', 'zip'] as const) {
    const archiveOf = async (files: { path: string; content: Buffer }[], fileMode?: number): Promise<string> => {
      const file = path.join(root, `pkg.${format}`);
      await writeFile(file, format === 'zip' ? buildZip(zipEntries(files, fileMode === undefined ? undefined : 0o100000 | fileMode)) : await buildTarGz(tarEntries(files, fileMode)));
      return file;
    };

    describe(format, () => {
      it('unpacks a package into <targetDir>/<packageName> with fixed modes, and it verifies', async () => {
        const files = packageFiles();
        // setuid, setgid and executable bits in the archive are not kept.
        const archive = await archiveOf(files, 0o6755);
        const umask = process.umask(0o077);
        let result;
        try {
          result = await unpackPackage(archive, { format, targetDir, packageName: 'pkg' });
        } finally {
          process.umask(umask);
        }
        expect(result).to.deep.equal({ dir: path.join(targetDir, 'pkg'), files: files.map((f) => f.path) });
        for (const f of files) expect((await readFile(path.join(targetDir, 'pkg', ...f.path.split('/')))).equals(f.content), f.path).to.equal(true);
        const tree = await treeSnapshot(targetDir);
        expect(tree).to.include('pkg/ dir 755').and.include('pkg/files/ dir 755');
        expect(tree.filter((line) => / file 644 /.test(line))).to.have.length(files.length);
        expect(tree.filter((line) => !/ (dir 755$|file 644 )/.test(line))).to.deep.equal([]);
        expect(await readdir(targetDir)).to.deep.equal(['pkg']);
        const verified = await verifyPackage(result.dir);
        expect(verified.problems).to.deep.equal([]);
        expect(verified.manifest.packageName).to.equal('pkg');
      });

      it('replaces an existing package folder only when the new one is complete', async () => {
        await mkdir(path.join(targetDir, 'pkg', 'old'), { recursive: true });
        await writeFile(path.join(targetDir, 'pkg', 'old', 'stale.sql'), 'old');
        const archive = await archiveOf([{ path: 'data/new.sql', content: Buffer.from('new') }]);
        const { files } = await unpackPackage(archive, { format, targetDir, packageName: 'pkg' });
        expect(files).to.deep.equal(['data/new.sql']);
        expect(await treeSnapshot(targetDir)).to.deep.equal([
          'pkg/ dir 755',
          'pkg/data/ dir 755',
          `pkg/data/new.sql file 644 3 ${createHash('sha256').update('new').digest('hex')}`,
        ]);
      });

      it('creates folders that have no entry of their own', async () => {
        const file = path.join(root, `bare.${format}`);
        const content = Buffer.from('x');
        await writeFile(file, format === 'zip' ? buildZip([{ name: 'pkg/a/b/c.txt', content, host: 0 }]) : await buildTarGz([{ name: 'pkg/a/b/c.txt', content }]));
        await unpackPackage(file, { format, targetDir: path.join(root, 'new', 'dir'), packageName: 'pkg' });
        expect((await treeSnapshot(path.join(root, 'new', 'dir'))).map((line) => line.split(' ').slice(0, 3).join(' '))).to.deep.equal([
          'pkg/ dir 755',
          'pkg/a/ dir 755',
          'pkg/a/b/ dir 755',
          'pkg/a/b/c.txt file 644',
        ]);
      });

      it('removes staging folders of dead processes and keeps those of live ones', async () => {
        const dead = path.join(targetDir, `.pkg.unpacking-${deadPid()}-abc123`);
        const deadReplaced = path.join(targetDir, `.pkg.replaced-${deadPid()}-abc124`);
        const live = path.join(targetDir, `.pkg.unpacking-${process.ppid}-abc125`);
        const otherPackage = path.join(targetDir, `.other.unpacking-${deadPid()}-abc126`);
        for (const d of [dead, deadReplaced, live, otherPackage]) await mkdir(d, { recursive: true });
        await unpackPackage(await archiveOf([{ path: 'a.txt', content: Buffer.from('a') }]), { format, targetDir, packageName: 'pkg' });
        expect((await readdir(targetDir)).sort()).to.deep.equal([path.basename(live), path.basename(otherPackage), 'pkg'].sort());
      });

      it('streams: unpacking 256 MiB holds a few MiB @memory', async function () {
        this.timeout(120_000);
        const size = 256 * 1024 ** 2;
        const file = path.join(root, `big.${format}`);
        await writeBigArchive(file, format, size);
        const sampler = samplePeakMemory();
        const { files } = await unpackPackage(file, { format, targetDir, packageName: 'pkg' });
        const grown = sampler.stop() - sampler.baseline;
        expect(files).to.deep.equal(['zeros.bin']);
        expect((await stat(path.join(targetDir, 'pkg', 'zeros.bin'))).size).to.equal(size);
        expect(grown, `${Math.round(grown / 1024 ** 2)} MiB`).to.be.lessThan(32 * 1024 ** 2);
      });
    });
  }

  it('checks its options', async () => {
    const archive = path.join(root, 'pkg.tar.gz');
    await writeFile(archive, await buildTarGz([{ name: 'pkg/a.txt', content: 'a' }]));
    const cases: [Parameters<typeof unpackPackage>[1], string, RegExp][] = [
      [{ format: 'rar' as 'zip', targetDir, packageName: 'pkg' }, 'FORMAT_UNSUPPORTED', /"rar" is not supported/],
      [{ format: 'tar.gz', targetDir: '', packageName: 'pkg' }, 'ARCHIVE_OPTIONS_INVALID', /targetDir/],
      [{ format: 'tar.gz', targetDir, packageName: 'pkg', maxEntries: 0 }, 'ARCHIVE_OPTIONS_INVALID', /maxEntries must be a positive integer/],
      [{ format: 'tar.gz', targetDir, packageName: 'pkg', maxTotalBytes: 1.5 }, 'ARCHIVE_OPTIONS_INVALID', /maxTotalBytes must be a positive integer/],
    ];
    for (const [options, code, message] of cases) {
      const e = await rejected(unpackPackage(archive, options));
      expect(e.code).to.equal(code);
      expect(e.message).to.match(message);
    }
    const missing = await rejected(unpackPackage(path.join(root, 'missing.tar.gz'), { format: 'tar.gz', targetDir, packageName: 'pkg' }));
    expect(missing.code).to.equal('FILE_NOT_FOUND');
    expect(await readdir(root)).to.deep.equal(['pkg.tar.gz']);
  });
});

/** An archive of one file `pkg/zeros.bin` of `size` zero bytes, written as a stream. */
async function writeBigArchive(file: string, format: 'tar.gz' | 'zip', size: number): Promise<void> {
  const chunk = Buffer.alloc(1024 * 1024);
  if (format === 'tar.gz') {
    const tar = pack();
    const written = pipeline(tar, createGzip({ level: 1 }), createWriteStream(file));
    const entry = tar.entry({ name: 'pkg/zeros.bin', size, mode: 0o644 });
    for (let n = 0; n < size; n += chunk.length) if (!entry.write(chunk)) await new Promise<void>((resolve) => entry.once('drain', () => resolve()));
    entry.end(undefined);
    tar.finalize();
    await written;
    return;
  }
  let crc = 0;
  async function* zeros(): AsyncGenerator<Buffer> {
    for (let n = 0; n < size; n += chunk.length) {
      crc = crc32(chunk, crc);
      yield chunk;
    }
  }
  const parts: Buffer[] = [];
  await pipeline(zeros, createDeflateRaw({ level: constants.Z_BEST_SPEED }), async (deflated: AsyncIterable<Buffer>) => {
    for await (const part of deflated) parts.push(part);
  });
  await writeFile(file, buildZip([{ name: 'pkg/zeros.bin', deflated: { data: Buffer.concat(parts), crc, size } }]));
}
