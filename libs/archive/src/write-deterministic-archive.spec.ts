import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, chown, cp, lstat, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { isHfitError, type HfitError } from '@hfit/contracts';
import { expect } from 'chai';
import { ARCHIVE_MTIME } from './archive-constants.js';
import type { ArchiveEntry, ArchiveFormat } from './archive-entry.js';
import { readTarHeaders } from './testing/read-tar-headers.js';
import { readZipEntries } from './testing/read-zip-entries.js';
import { writeDeterministicArchive, type WriteDeterministicArchiveOptions } from './write-deterministic-archive.js';

const run = promisify(execFile);
const MTIME_SECONDS = ARCHIVE_MTIME.getTime() / 1000;
/** 2000-01-01 00:00:00 as DOS date and time words. */
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;
const DOS_TIME = 0;

/** A Writable that keeps what it is given. */
class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    callback();
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

async function archive(opts: Omit<WriteDeterministicArchiveOptions, 'out'>): Promise<Buffer> {
  const out = new Collector();
  const result = await writeDeterministicArchive({ ...opts, out });
  const bytes = out.bytes;
  expect(result.bytes).to.equal(bytes.length);
  expect(result.sha256).to.equal(createHash('sha256').update(bytes).digest('hex'));
  return bytes;
}

async function rejection(p: Promise<unknown>): Promise<HfitError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isHfitError(e)) throw new Error(`expected an HfitError, got ${String(e)}`);
  return e;
}

async function hasCommand(name: string): Promise<boolean> {
  return run('sh', ['-c', `command -v ${name}`]).then(
    () => true,
    () => false,
  );
}

/** Every file and folder under `root`: relative path -> mode and, for files, content. */
async function tree(root: string): Promise<Map<string, { mode: number; content?: string }>> {
  const found = new Map<string, { mode: number; content?: string }>();
  const walk = async (rel: string): Promise<void> => {
    for (const d of await readdir(join(root, rel), { withFileTypes: true })) {
      const path = rel === '' ? d.name : `${rel}/${d.name}`;
      const st = await lstat(join(root, path));
      if (d.isDirectory()) {
        found.set(`${path}/`, { mode: st.mode & 0o7777 });
        await walk(path);
      } else {
        found.set(path, { mode: st.mode & 0o7777, content: await readFile(join(root, path), 'utf8') });
      }
    }
  };
  await walk('');
  return found;
}

describe('writeDeterministicArchive', () => {
  let dir: string;
  let entries: ArchiveEntry[];
  const contents: Record<string, string> = {
    'data/orders.sql': 'INSERT INTO orders VALUES (1);\n'.repeat(200),
    'data/customers.csv': 'id,name\n1,Ann\n',
    'files/logs/app.log': 'line\n'.repeat(1000),
    'empty.txt': '',
    'README.md': '# package\n',
  };
  const manifest = Buffer.from('{"manifestVersion":1}\n');
  const expectedTree = (top: string): Map<string, { mode: number; content?: string }> =>
    new Map([
      [`${top}/`, { mode: 0o755 }],
      [`${top}/METADATA/`, { mode: 0o755 }],
      [`${top}/METADATA/manifest.json`, { mode: 0o644, content: manifest.toString() }],
      [`${top}/README.md`, { mode: 0o644, content: contents['README.md']! }],
      [`${top}/data/`, { mode: 0o755 }],
      [`${top}/data/customers.csv`, { mode: 0o644, content: contents['data/customers.csv']! }],
      [`${top}/data/orders.sql`, { mode: 0o644, content: contents['data/orders.sql']! }],
      [`${top}/empty.txt`, { mode: 0o644, content: '' }],
      [`${top}/files/`, { mode: 0o755 }],
      [`${top}/files/logs/`, { mode: 0o755 }],
      [`${top}/files/logs/app.log`, { mode: 0o644, content: contents['files/logs/app.log']! }],
    ]);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), `hfit-archive-${randomUUID()}-`));
    await mkdir(join(dir, 'in'));
    entries = [{ path: 'METADATA/manifest.json', content: manifest }];
    let i = 0;
    for (const [path, content] of Object.entries(contents)) {
      // Spool-style flat names: the archive path is not the file name.
      const file = join(dir, 'in', `spool-${i++}.tmp`);
      await writeFile(file, content);
      entries.push({ path, file });
    }
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const format of ['tar.gz', 'zip'] as const satisfies readonly ArchiveFormat[]) {
    describe(format, () => {
      it('is byte-identical across runs although input mtimes, modes, owners, locations and the clock differ', async () => {
        const first = await archive({ format, topFolder: 'pkg', entries });
        // Change everything about the inputs except their bytes, and let the clock move on (a
        // gzip or zip header that held "now" would differ).
        let n = 0;
        for (const e of entries) {
          if (!('file' in e)) continue;
          await utimes(e.file, new Date(Date.UTC(2011, 1, 3 + n)), new Date(Date.UTC(2022, 5, 7 + n)));
          await chmod(e.file, n++ % 2 ? 0o600 : 0o777);
          if (process.getuid?.() === 0) await chown(e.file, 4321, 4321);
        }
        await cp(join(dir, 'in'), join(dir, 'elsewhere'), { recursive: true });
        const moved = entries.map((e) => ('file' in e ? { path: e.path, file: e.file.replace('/in/', '/elsewhere/') } : e));
        await new Promise((r) => setTimeout(r, 1100));
        const second = await archive({ format, topFolder: 'pkg', entries: [...moved].reverse() });
        expect(second.equals(first)).to.equal(true);
        // Another level gives other bytes: the level is really applied.
        const other = await archive({ format, topFolder: 'pkg', entries, level: 9 });
        expect(other.equals(first)).to.equal(false);
      });

      it('returns the byte count and sha256 of exactly what reached out', async () => {
        const path = join(dir, `out.${format}`);
        const result = await writeDeterministicArchive({ format, topFolder: 'pkg', entries, out: createWriteStream(path) });
        const written = await readFile(path);
        expect(result).to.deep.equal({ bytes: written.length, sha256: createHash('sha256').update(written).digest('hex') });
      });

      it('gives the same bytes for a content entry and a file entry with the same bytes', async () => {
        const asContent = await Promise.all(
          entries.map(async (e): Promise<ArchiveEntry> => ('file' in e ? { path: e.path, content: await readFile(e.file) } : e)),
        );
        const manifestFile = join(dir, 'manifest.json');
        await writeFile(manifestFile, manifest);
        const asFiles = entries.map((e): ArchiveEntry => ('file' in e ? e : { path: e.path, file: manifestFile }));
        const a = await archive({ format, topFolder: 'pkg', entries: asContent });
        const b = await archive({ format, topFolder: 'pkg', entries: asFiles });
        expect(a.equals(b)).to.equal(true);
      });

      it(`unpacks with the system ${format === 'zip' ? 'unzip' : 'tar'} to the inputs, with fixed modes`, async function () {
        const tool = format === 'zip' ? 'unzip' : 'tar';
        if (!(await hasCommand(tool))) this.skip(); // zip contents are still checked in JS below
        const file = join(dir, `pkg.${format}`);
        await writeDeterministicArchive({ format, topFolder: 'my-pkg', entries, out: createWriteStream(file) });
        const target = join(dir, 'unpacked');
        await mkdir(target);
        if (format === 'zip') await run('unzip', ['-q', file, '-d', target]);
        else await run('tar', ['-xzf', file, '-C', target]);
        expect(await tree(target)).to.deep.equal(expectedTree('my-pkg'));
      });

      it('writes fixed headers: sorted names, folders first, mode, owner, mtime, no varying extras', async () => {
        const bytes = await archive({ format, topFolder: 'pkg', entries });
        const want = [...expectedTree('pkg')];
        if (format === 'tar.gz') {
          // RFC 1952 header: deflate, no flags, MTIME 0, OS Unix.
          expect([...bytes.subarray(0, 10)]).to.deep.equal([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
          const headers = readTarHeaders(gunzipSync(bytes));
          expect(headers.map((h) => h.name)).to.deep.equal(want.map(([name]) => name));
          for (const [i, h] of headers.entries()) {
            const [, expected] = want[i]!;
            expect(h, h.name).to.include({ type: expected.content === undefined ? '5' : '0', mode: expected.mode, uid: 0, gid: 0, uname: '', gname: '', mtime: MTIME_SECONDS, magic: 'ustar\u000000' });
            expect(h.data.toString(), h.name).to.equal(expected.content ?? '');
          }
        } else {
          const zip = readZipEntries(bytes);
          expect(zip.map((z) => z.name)).to.deep.equal(want.map(([name]) => name));
          for (const [i, z] of zip.entries()) {
            const [, expected] = want[i]!;
            const type = expected.content === undefined ? 0o040000 : 0o100000;
            expect(z, z.name).to.include({ madeBy: 3, unixMode: type | expected.mode, dosDate: DOS_DATE, dosTime: DOS_TIME, localDosDate: DOS_DATE, localDosTime: DOS_TIME, centralExtraLength: 0, localExtraLength: 0 });
            expect(z.content.toString(), z.name).to.equal(expected.content ?? '');
          }
        }
      });

      it('lists with the system tool as root-owned, 0644/0755, dated 2000-01-01', async function () {
        const tool = format === 'zip' ? 'unzip' : 'tar';
        if (!(await hasCommand(tool))) this.skip();
        const file = join(dir, `pkg.${format}`);
        await writeDeterministicArchive({ format, topFolder: 'pkg', entries, out: createWriteStream(file) });
        const env = { ...process.env, TZ: 'UTC', LC_ALL: 'C' };
        if (format === 'tar.gz') {
          const { stdout } = await run('tar', ['-tvzf', file, '--numeric-owner'], { env });
          const lines = stdout.trim().split('\n');
          expect(lines).to.have.length(11);
          expect(lines[0]).to.match(/^drwxr-xr-x 0\/0 +0 2000-01-01 00:00 pkg\/$/);
          expect(lines[2]).to.match(/^-rw-r--r-- 0\/0 +22 2000-01-01 00:00 pkg\/METADATA\/manifest\.json$/);
          for (const line of lines) expect(line).to.match(/^(drwxr-xr-x|-rw-r--r--) 0\/0 +\d+ 2000-01-01 00:00 pkg\//);
        } else {
          const { stdout } = await run('unzip', ['-Z', file], { env });
          const lines = stdout.split('\n').filter((l) => / pkg\//.test(l));
          expect(lines).to.have.length(11);
          for (const line of lines) expect(line).to.match(/^(drwxr-xr-x|-rw-r--r--) +\S+ unx +\d+ \S+ \S+ 00-Jan-01 00:00 pkg\//);
        }
      });

      it('keeps long and non-ASCII names intact and deterministic', async function () {
        const long = `${'deep/'.repeat(30)}${'n'.repeat(120)}.txt`;
        const named: ArchiveEntry[] = [
          { path: 'données/été.csv', content: Buffer.from('é\n') },
          { path: long, content: Buffer.from('long\n') },
          { path: `${'x'.repeat(150)}.txt`, content: Buffer.from('wide\n') },
        ];
        const bytes = await archive({ format, topFolder: 'pkg', entries: named });
        expect((await archive({ format, topFolder: 'pkg', entries: [...named].reverse() })).equals(bytes)).to.equal(true);
        if (format === 'tar.gz') {
          const headers = readTarHeaders(gunzipSync(bytes));
          // ustar cannot hold these names: tar-stream writes a PAX header with the path only.
          for (const h of headers.filter((x) => x.type === 'x')) {
            expect(Object.keys(h.pax ?? {})).to.deep.equal(['path']);
            expect(h).to.include({ mtime: MTIME_SECONDS, uid: 0, gid: 0, uname: '', gname: '' });
          }
        } else {
          const zip = readZipEntries(bytes);
          expect(zip.map((z) => z.name)).to.include.members([`pkg/${long}`, 'pkg/données/été.csv']);
          // Bit 11: names are UTF-8.
          expect(zip.find((z) => z.name === 'pkg/données/été.csv')!.flags & 0x800).to.equal(0x800);
        }
        const tool = format === 'zip' ? 'unzip' : 'tar';
        if (!(await hasCommand(tool))) this.skip();
        const file = join(dir, `names.${format}`);
        await writeFile(file, bytes);
        const target = join(dir, 'names');
        await mkdir(target);
        if (format === 'zip') await run('unzip', ['-q', file, '-d', target]);
        else await run('tar', ['-xzf', file, '-C', target]);
        expect(await readFile(join(target, 'pkg', 'données', 'été.csv'), 'utf8')).to.equal('é\n');
        expect(await readFile(join(target, 'pkg', long), 'utf8')).to.equal('long\n');
        expect(await readFile(join(target, 'pkg', `${'x'.repeat(150)}.txt`), 'utf8')).to.equal('wide\n');
      });
    });
  }

  describe('rejects bad input before writing anything', () => {
    const untouched = async (opts: Omit<WriteDeterministicArchiveOptions, 'out'>): Promise<HfitError> => {
      const out = new Collector();
      const e = await rejection(writeDeterministicArchive({ ...opts, out }));
      expect(out.chunks).to.have.length(0);
      expect(out.destroyed || out.writableEnded).to.equal(false);
      return e;
    };

    for (const bad of ['../escape.txt', '/etc/passwd', 'a/../../b', 'a\\..\\b', 'a//b', 'a\u0000b', 'ok/']) {
      it(`path ${JSON.stringify(bad)}`, async () => {
        const e = await untouched({ format: 'tar.gz', topFolder: 'pkg', entries: [...entries, { path: bad, content: manifest }] });
        expect(e.code).to.equal('EXPORT_NAME_INVALID');
        expect(e.field).to.equal(`entries[${entries.length}].path`);
      });
    }

    it('duplicate paths and an unsafe top folder', async () => {
      expect((await untouched({ format: 'zip', topFolder: 'pkg', entries: [...entries, { path: 'README.md', content: manifest }] })).code).to.equal('EXPORT_NAME_INVALID');
      expect((await untouched({ format: 'zip', topFolder: '..', entries })).field).to.equal('topFolder');
    });

    it('a missing input file or a folder given as a file, naming each', async () => {
      const e = await untouched({
        format: 'tar.gz',
        topFolder: 'pkg',
        entries: [...entries, { path: 'gone.txt', file: join(dir, 'gone') }, { path: 'dir.txt', file: join(dir, 'in') }],
      });
      expect(e.code).to.equal('FILE_NOT_FOUND');
      expect(e.details.map((d) => d.message)).to.deep.equal([
        `archive entry "pkg/dir.txt": file ${join(dir, 'in')} is not a regular file`,
        `archive entry "pkg/gone.txt": file ${join(dir, 'gone')} does not exist`,
      ]);
    });

    it('an unknown format or a bad level', async () => {
      expect((await untouched({ format: 'rar' as ArchiveFormat, topFolder: 'pkg', entries })).code).to.equal('FORMAT_UNSUPPORTED');
      for (const level of [-1, 10, 1.5, Number.NaN]) {
        const e = await untouched({ format: 'zip', topFolder: 'pkg', entries, level });
        expect(e.code).to.equal('ARCHIVE_OPTIONS_INVALID');
        expect(e.field).to.equal('level');
      }
    });
  });

  it('fails with ARCHIVE_FAILED, without hanging, when out fails midway', async () => {
    const big = join(dir, 'big.bin');
    await writeFile(big, Buffer.alloc(4 * 1024 * 1024, 7));
    for (const format of ['tar.gz', 'zip'] as const) {
      let seen = 0;
      const out = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          seen += chunk.length;
          callback(seen > 1000 ? new Error('disk full') : null);
        },
      });
      const e = await rejection(writeDeterministicArchive({ format, topFolder: 'pkg', entries: [{ path: 'big.bin', file: big }], out, level: 0 }));
      expect(e.code).to.equal('ARCHIVE_FAILED');
      expect(e.permanent).to.equal(false);
      expect(e.message).to.include('disk full');
      expect(out.destroyed).to.equal(true);
    }
  });
});
