import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHfitError } from '@hfit/contracts';
import { expect } from 'chai';
import { FsObjectStore } from './fs-object-store.js';

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('FsObjectStore confinement and staging', () => {
  let dir: string;
  let root: string;
  let outside: string;
  let store: FsObjectStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), `hfit-storage-fs-${randomUUID()}-`));
    root = join(dir, 'root');
    outside = join(dir, 'outside');
    await mkdir(root);
    await mkdir(outside);
    store = new FsObjectStore({ root });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('requires an absolute root', () => {
    expect(() => new FsObjectStore({ root: 'relative/dir' })).to.throw(/storage.root must be an absolute folder path/);
  });

  it('never writes through a symbolic link to a folder outside the root', async () => {
    await symlink(outside, join(root, 'link'));
    const e = await errorOf(store.publish('link/sub/x.bin', Buffer.from('x')));
    expect(isHfitError(e, 'PATH_ESCAPE'), String(e)).to.equal(true);
    expect(await readdir(outside)).to.deep.equal([]);
  });

  it('refuses to read or delete through a symbolic link leaving the root', async () => {
    await writeFile(join(outside, 'secret'), 'secret');
    await symlink(join(outside, 'secret'), join(root, 'file-link'));
    await symlink(outside, join(root, 'dir-link'));
    for (const op of [() => store.get('file-link'), () => store.head('file-link'), () => store.get('dir-link/secret'), () => store.delete('dir-link/secret')]) {
      const e = await errorOf(op());
      expect(isHfitError(e, 'PATH_ESCAPE'), String(e)).to.equal(true);
    }
    expect(await readdir(outside)).to.deep.equal(['secret']);
    // Links are not objects: listing skips them.
    const keys: string[] = [];
    for await (const o of store.list('')) keys.push(o.key);
    expect(keys).to.deep.equal([]);
  });

  it('cleanupStaging removes old temp files and orphan metadata in every folder, by age', async () => {
    await store.put('a/b/kept.bin', Buffer.from('kept'), { metadata: { m: '1' } });
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    const staleTemp = join(root, 'a', 'b', '.hfit-staging-dead');
    const freshTemp = join(root, 'a', '.hfit-staging-busy');
    const orphanMeta = join(root, 'a', '.hfit-meta.gone.bin.json');
    await writeFile(staleTemp, 'partial');
    await writeFile(freshTemp, 'partial');
    await writeFile(orphanMeta, '{}');
    await utimes(staleTemp, old, old);
    await utimes(orphanMeta, old, old);
    expect(await store.cleanupStaging(60 * 60 * 1000)).to.deep.equal({ removed: 2 });
    expect((await readdir(join(root, 'a'))).sort()).to.deep.equal(['.hfit-staging-busy', 'b']);
    expect((await store.head('a/b/kept.bin'))?.metadata).to.deep.equal({ m: '1' });
    expect(await store.cleanupStaging(0)).to.deep.equal({ removed: 1 });
  });

  it('works before the root exists', async () => {
    const later = new FsObjectStore({ root: join(dir, 'not-yet') });
    expect(await later.head('x')).to.equal(undefined);
    expect(await later.cleanupStaging(0)).to.deep.equal({ removed: 0 });
    const keys: string[] = [];
    for await (const o of later.list('')) keys.push(o.key);
    expect(keys).to.deep.equal([]);
    await later.put('x', Buffer.from('x'));
    expect((await later.head('x'))?.size).to.equal(1);
  });
});
