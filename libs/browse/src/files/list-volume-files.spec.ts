import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import type { VolumeConfig } from '@hfit/config';
import { FileEntrySchema, FileQuerySchema, type FileEntry } from '@hfit/contracts';
import { createVolumeFixture, type VolumeFixture } from '../testing/volume-fixture.js';
import { listVolumeFiles } from './list-volume-files.js';

async function collect(entries: AsyncIterable<FileEntry>): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  for await (const e of entries) out.push(e);
  return out;
}

/** `path` plus `/` for folders, sorted: what a listing holds, independent of directory order. */
function shape(entries: readonly FileEntry[]): string[] {
  return entries.map((e) => (e.isdir ? `${e.path}/` : e.path)).sort();
}

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  return p.then(
    () => expect.fail('should reject'),
    (e: { code: string; message: string }) => e,
  );
}

const openDescriptors = () => readdirSync('/proc/self/fd').length;

describe('listVolumeFiles', () => {
  let fx: VolumeFixture;
  const config = (symlinks: VolumeConfig['symlinks'] = 'confine') => ({ volumes: [fx.volume(symlinks)] });
  const list = async (filters: string[], symlinks: VolumeConfig['symlinks'] = 'confine') =>
    collect(await listVolumeFiles(config(symlinks), 'data', filters, { now: new Date(fx.now) }));

  beforeEach(() => {
    fx = createVolumeFixture();
  });
  afterEach(() => fx.remove());

  describe('confinement', () => {
    it('confine: lists files and folders; symlinks inside as their targets; never what leads out, loops, dangling links or pipes', async () => {
      const entries = await list([]);
      expect(shape(entries)).to.deep.equal(
        [
          '%2e%2e/',
          '%2e%2e/lit.txt',
          '.hidden.txt',
          'a.txt',
          'big.bin',
          'link-abs-in',
          'link-dir/',
          'link-in.txt',
          'self/',
          'sub/',
          'sub/b.txt',
          'sub/deep/',
          'sub/deep/c.log',
        ].sort(),
      );
      const byPath = new Map(entries.map((e) => [e.path, e]));
      expect(byPath.get('sub/deep/c.log')).to.deep.equal({
        name: 'c.log',
        path: 'sub/deep/c.log',
        size: 2048,
        modtime: new Date(fx.now - 3_600_000).toISOString(),
        isdir: false,
      });
      // A symlink inside the root reports its target's size and time.
      expect(byPath.get('link-in.txt')).to.include({ name: 'link-in.txt', size: 100, modtime: new Date(fx.now - 2 * 86_400_000).toISOString() });
      expect(byPath.get('link-abs-in')?.size).to.equal(5);
      expect(byPath.get('sub')).to.include({ name: 'sub', size: 0, isdir: true });
      expect(JSON.stringify(entries)).not.to.match(/secret|outside|loop|dangling|fifo/);
      for (const e of entries) expect(FileEntrySchema.parse(e)).to.deep.equal(e);
    });

    it('deny: no symlink is listed at all', async () => {
      expect(shape(await list([], 'deny'))).to.deep.equal(
        ['%2e%2e/', '%2e%2e/lit.txt', '.hidden.txt', 'a.txt', 'big.bin', 'sub/', 'sub/b.txt', 'sub/deep/', 'sub/deep/c.log'].sort(),
      );
    });

    it('never descends symlinked folders, so loops end and nothing is listed twice', async () => {
      symlinkSync('..', path.join(fx.root, 'sub', 'up'));
      symlinkSync('../../sub', path.join(fx.root, 'sub', 'deep', 'again'));
      const entries = await list([]);
      expect(entries.filter((e) => e.path.startsWith('link-dir/') || e.path.startsWith('self/') || e.path.includes('/up/'))).to.deep.equal([]);
      expect(shape(entries)).to.include.members(['sub/up/', 'sub/deep/again/']);
      expect(new Set(entries.map((e) => e.path)).size).to.equal(entries.length);
    });

    it('works when the configured root is itself a symlink', async () => {
      const alias = `${fx.root}-alias`;
      symlinkSync(fx.root, alias);
      const aliased = { volumes: [{ ...fx.volume(), root: alias }] };
      const entries = await collect(await listVolumeFiles(aliased, 'data', ['path:sub']));
      expect(shape(entries)).to.deep.equal(['sub/b.txt', 'sub/deep/', 'sub/deep/c.log']);
      expect(shape(await collect(await listVolumeFiles(aliased, 'data', [])))).not.to.include('link-out.txt');
    });

    it('skips what the server cannot read instead of failing', async function () {
      this.timeout(20_000);
      fx.write('open/ok.txt', 'ok');
      fx.write('locked/inside.txt', 'no');
      chmodSync(path.join(fx.root, 'locked'), 0o000);
      // Everything else must be readable by the unprivileged user the check runs as.
      chmodSync(path.dirname(fx.root), 0o755);
      try {
        const index = pathToFileURL(path.resolve(import.meta.dirname, '..', 'index.js')).href;
        const script = `const b = await import(${JSON.stringify(index)});
          const out = [];
          for await (const e of await b.listVolumeFiles({ volumes: [${JSON.stringify(fx.volume('deny'))}] }, 'data', [])) out.push(e.isdir ? e.path + '/' : e.path);
          console.log(JSON.stringify(out.sort()));`;
        // Root reads everything: the listing runs as "nobody" then, so the folder really is unreadable.
        const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
        const probe = `await import(${JSON.stringify(index)});`;
        const reachable = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', probe], asUser).then(
          () => true,
          () => false,
        );
        // A checkout inside a private folder (mktemp -d is 0700) cannot be read by "nobody".
        if (!reachable) this.skip();
        const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], asUser);
        const listed = JSON.parse(stdout) as string[];
        expect(listed).to.include.members(['locked/', 'open/', 'open/ok.txt', 'a.txt', 'sub/deep/c.log']);
        expect(listed).not.to.include('locked/inside.txt');
      } finally {
        chmodSync(path.join(fx.root, 'locked'), 0o755);
      }
    });
  });

  describe('path:', () => {
    it('lists below a folder, with paths still relative to the volume root', async () => {
      expect(shape(await list(['path:sub']))).to.deep.equal(['sub/b.txt', 'sub/deep/', 'sub/deep/c.log']);
      expect(shape(await list(['path:./sub/deep/']))).to.deep.equal(['sub/deep/c.log']);
      expect(shape(await list(['path:.']))).to.include('sub/deep/c.log');
    });

    it('takes names literally: a URL-encoded "%2e%2e" is a folder name, never decoded into ".."', async () => {
      expect(shape(await list(['path:%2e%2e']))).to.deep.equal(['%2e%2e/lit.txt']);
      for (const encoded of ['%2e%2e%2foutside', '%2E%2E', '..%2f..%2fetc']) {
        const err = await rejection(listVolumeFiles(config(), 'data', [`path:${encoded}`]));
        expect(err.code, encoded).to.equal('FILE_NOT_FOUND');
      }
    });

    it('follows a folder symlink inside the root under confine, refuses it under deny', async () => {
      expect(shape(await list(['path:link-dir']))).to.deep.equal(['link-dir/b.txt', 'link-dir/deep/', 'link-dir/deep/c.log']);
      const err = await rejection(listVolumeFiles(config('deny'), 'data', ['path:link-dir']));
      expect(err.code).to.equal('PATH_ESCAPE');
      expect(err.message).to.contain('symlink');
    });

    it('refuses traversal, absolute, NUL and backslash paths, and symlinks leading out, with PATH_ESCAPE', async () => {
      for (const bad of ['..', '../outside', 'sub/../../outside', '/etc', fx.outside, 'sub\0/x', 'sub\\..\\..', 'link-out-dir', 'link-out-dir/']) {
        const err = await rejection(listVolumeFiles(config(), 'data', [`path:${bad}`]));
        expect(err.code, JSON.stringify(bad)).to.equal('PATH_ESCAPE');
        expect(err.message).not.to.contain(fx.root);
      }
    });

    it('answers FILE_NOT_FOUND for a missing folder, a file, or a symlink loop', async () => {
      for (const [bad, why] of [
        ['missing', 'does not exist'],
        ['a.txt', 'not a folder'],
        ['loop-a', 'symlink loop'],
        ['dangling', 'does not exist'],
      ] as const) {
        const err = await rejection(listVolumeFiles(config(), 'data', [`path:${bad}`]));
        expect(err.code, bad).to.equal('FILE_NOT_FOUND');
        expect(err.message).to.contain(`"${bad}"`).and.to.contain(why);
      }
    });
  });

  describe('conditions and sort', () => {
    it('with a condition lists only matching files (folders drop out); name globs match base names', async () => {
      expect(shape(await list(['name:*.txt']))).to.deep.equal(['%2e%2e/lit.txt', 'a.txt', 'link-in.txt', 'sub/b.txt']);
      expect(shape(await list(['name:.*']))).to.deep.equal(['.hidden.txt']);
      expect(shape(await list(['name:{a,b}.txt']))).to.deep.equal(['a.txt', 'sub/b.txt']);
    });

    it('size and mtime conditions, all of them required', async () => {
      expect(shape(await list(['size:>1k']))).to.deep.equal(['big.bin', 'sub/deep/c.log']);
      expect(shape(await list(['size:2k']))).to.deep.equal(['sub/deep/c.log']);
      expect(shape(await list(['size:<=5']))).to.deep.equal(['.hidden.txt', 'a.txt', 'link-abs-in']);
      expect(shape(await list(['mtime:1.5']))).to.deep.equal(['.hidden.txt', 'a.txt', 'link-abs-in', 'sub/deep/c.log']);
      expect(shape(await list(['mtime:-30']))).to.deep.equal(['big.bin']);
      expect(shape(await list(['mtime:-1.5']))).to.deep.equal(['%2e%2e/lit.txt', 'big.bin', 'link-in.txt', 'sub/b.txt']);
      expect(shape(await list(['name:*.txt', 'size:>10', 'mtime:-1.5']))).to.deep.equal(['link-in.txt', 'sub/b.txt']);
      expect(await list(['size:>1G'])).to.deep.equal([]);
    });

    it('sorts by the key asked for, ties by path', async () => {
      const paths = async (filters: string[]) => (await list(filters)).map((e) => e.path);
      expect(await paths(['size:>10', 'sort:size:desc'])).to.deep.equal(['big.bin', 'sub/deep/c.log', 'link-in.txt', 'sub/b.txt']);
      expect(await paths(['name:*.txt', 'sort:mtime'])).to.deep.equal(['%2e%2e/lit.txt', 'link-in.txt', 'sub/b.txt', 'a.txt']);
      // Base names in code-unit order: lit.txt > link-in.txt > link-abs-in > c.log > big.bin > b.txt > a.txt.
      expect(await paths(['name:*', 'sort:name:desc'])).to.deep.equal(['%2e%2e/lit.txt', 'link-in.txt', 'link-abs-in', 'sub/deep/c.log', 'big.bin', 'sub/b.txt', 'a.txt']);
      // Sorting without conditions keeps folders in the listing.
      expect((await list(['path:sub', 'sort:name'])).map((e) => e.path)).to.deep.equal(['sub/b.txt', 'sub/deep/c.log', 'sub/deep']);
    });
  });

  describe('streaming', () => {
    it('walks as it is read: a file added to a folder not yet visited still shows up', async () => {
      mkdirSync(path.join(fx.root, 'sub', 'later'));
      const seen: string[] = [];
      for await (const e of await listVolumeFiles(config(), 'data', ['path:sub'])) {
        seen.push(e.path);
        if (seen.length === 1) writeFileSync(path.join(fx.root, 'sub', 'later', 'new.txt'), 'new');
      }
      expect(seen).to.include('sub/later/new.txt');
      // Each folder's own entries come before the content of its sub-folders.
      expect(seen.indexOf('sub/deep')).to.be.below(seen.indexOf('sub/deep/c.log'));
      expect(seen.indexOf('sub/later')).to.be.below(seen.indexOf('sub/later/new.txt'));
    });

    it('holds one directory open and releases it when the reader leaves early', async () => {
      for (let i = 0; i < 50; i++) fx.write(`many/f${i}.txt`, String(i));
      const before = openDescriptors();
      let n = 0;
      for await (const e of await listVolumeFiles(config(), 'data', ['path:many'])) {
        expect(e.path).to.match(/^many\/f\d+\.txt$/);
        expect(openDescriptors()).to.be.at.most(before + 1);
        if (++n === 3) break;
      }
      expect(openDescriptors()).to.equal(before);
    });

    it('stops with the signal\'s reason when aborted, releasing the directory', async () => {
      const controller = new AbortController();
      const before = openDescriptors();
      const reason = new Error('client gone');
      const entries = await listVolumeFiles(config(), 'data', [], { signal: controller.signal });
      const err = await (async () => {
        for await (const _ of entries) controller.abort(reason);
      })().then(
        () => expect.fail('should reject'),
        (e: unknown) => e,
      );
      expect(err).to.equal(reason);
      expect(openDescriptors()).to.equal(before);
    });
  });

  it('checks the request before streaming: unknown volume, bad filter', async () => {
    const unknown = await rejection(listVolumeFiles(config(), 'nope', []));
    expect(unknown.code).to.equal('VOLUME_UNKNOWN');
    expect(unknown.message).to.contain('"nope"').and.to.contain('data');
    expect((await rejection(listVolumeFiles(config(), 'data', ['size:lots']))).code).to.equal('REQUEST_INVALID');
  });

  it('takes the filters of the API query as its schema hands them over (one or repeated)', async () => {
    const one = FileQuerySchema.parse({ filter: 'size:2k' });
    expect(shape(await collect(await listVolumeFiles(config(), 'data', one.filter)))).to.deep.equal(['sub/deep/c.log']);
    const many = FileQuerySchema.parse({ filter: ['path:sub', 'name:*.txt'] });
    expect(shape(await collect(await listVolumeFiles(config(), 'data', many.filter)))).to.deep.equal(['sub/b.txt']);
    expect((await collect(await listVolumeFiles(config(), 'data', FileQuerySchema.parse({}).filter))).length).to.be.above(5);
  });
});
