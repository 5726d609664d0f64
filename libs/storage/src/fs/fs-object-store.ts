import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { HfitError } from '@hfit/contracts';
import { assertByteRange, clampByteRange } from '../byte-range.js';
import { assertListPrefix, assertObjectKey, RESERVED_NAME_PREFIX } from '../object-key-problem.js';
import type { ByteRange, CleanupResult, GetResult, ListedObject, ObjectHead, ObjectStore, PutOptions, PutResult } from '../object-store.js';
import { objectNotFound } from '../storage-errors.js';

/** Options of {@link FsObjectStore}. */
export interface FsObjectStoreOptions {
  /** Absolute path of the folder that holds the objects; created on the first write. */
  readonly root: string;
}

/** Temp files of publishes in progress: `<folder>/.hfit-staging-<uuid>`, beside their final file. */
const STAGING_PREFIX = `${RESERVED_NAME_PREFIX}staging-`;
/** Content type and metadata of `<folder>/<name>`: `<folder>/.hfit-meta.<name>.json`. */
const META_PREFIX = `${RESERVED_NAME_PREFIX}meta.`;
const META_SUFFIX = '.json';

interface SideFile {
  readonly contentType?: string;
  readonly metadata?: Record<string, string>;
}

function errnoCode(e: unknown): string | undefined {
  return e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
}

function isMissing(e: unknown): boolean {
  const code = errnoCode(e);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
}

function metaPath(file: string): string {
  return join(dirname(file), `${META_PREFIX}${basename(file)}${META_SUFFIX}`);
}

/** Writes `body` to the open `handle`, one chunk at a time (memory stays at one chunk). */
async function writeBody(handle: FileHandle, body: Readable | Buffer): Promise<number> {
  if (Buffer.isBuffer(body)) {
    await handle.writeFile(body);
    return body.length;
  }
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    await handle.write(bytes);
    size += bytes.length;
  }
  return size;
}

/**
 * Makes a rename durable: the new directory entry is only on disk once the directory is synced.
 * Some platforms (Windows) cannot open or sync a directory; there the rename is as durable as the
 * OS makes it.
 */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (e) {
    const code = errnoCode(e);
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw e;
  } finally {
    await handle?.close();
  }
}

/**
 * {@link ObjectStore} in a local folder: key `a/b.tar.gz` is the file `<root>/a/b.tar.gz`.
 *
 * Writes go to a temp file in the target folder, are fsynced, then renamed over the final name (a
 * rename within one folder is atomic) and the folder is fsynced. Content type and metadata live in
 * a side file beside the object, written before the rename. Nothing is ever written outside
 * `root`: folders are created one level at a time and a symbolic link on the way is refused, and
 * every resolved path is checked against the real root.
 */
export class FsObjectStore implements ObjectStore {
  readonly root: string;
  #realRoot: Promise<string> | undefined;

  constructor(options: FsObjectStoreOptions) {
    const root = (options as Partial<FsObjectStoreOptions>).root;
    if (typeof root !== 'string' || root === '' || !isAbsolute(root)) {
      throw new HfitError('STORAGE_OPTIONS_INVALID', `storage.root must be an absolute folder path, got ${JSON.stringify(root)}`, {
        field: 'storage.root',
      });
    }
    this.root = resolve(root);
  }

  async put(key: string, body: Readable | Buffer, opts?: PutOptions): Promise<PutResult> {
    return this.publish(key, body, opts);
  }

  async publish(finalKey: string, body: Readable | Buffer, opts: PutOptions = {}): Promise<PutResult> {
    assertObjectKey(finalKey);
    const dir = await this.#ensureFolder(finalKey);
    const file = join(dir, basename(finalKey));
    const temp = join(dir, `${STAGING_PREFIX}${randomUUID()}`);
    let size: number;
    try {
      size = await this.#writeDurably(temp, (handle) => writeBody(handle, body));
      await this.#writeSideFile(file, opts);
      await rename(temp, file);
    } catch (e) {
      // A failed write leaves nothing behind; a crash is what cleanupStaging is for.
      await unlinkIfPresent(temp);
      if (!Buffer.isBuffer(body)) body.destroy();
      throw e;
    }
    await syncDirectory(dir);
    return { key: finalKey, size };
  }

  async get(key: string, range?: ByteRange): Promise<GetResult> {
    assertObjectKey(key);
    if (range !== undefined) assertByteRange(key, range);
    const file = await this.#existingFile(key);
    if (file === undefined) throw objectNotFound(key);
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (e) {
      if (isMissing(e)) throw objectNotFound(key);
      throw e;
    }
    try {
      // Size and date come from the opened file, so they describe the bytes served even if a
      // publish replaces the object meanwhile.
      const info = await handle.stat();
      if (!info.isFile()) throw objectNotFound(key);
      const served = range === undefined ? undefined : clampByteRange(key, range, info.size);
      const side = await this.#readSideFile(file);
      const body = handle.createReadStream(served === undefined ? {} : { start: served.start, end: served.end });
      return {
        body,
        size: info.size,
        contentLength: served === undefined ? info.size : served.end - served.start + 1,
        lastModified: info.mtime,
        metadata: side.metadata ?? {},
        ...(side.contentType === undefined ? {} : { contentType: side.contentType }),
        ...(served === undefined ? {} : { range: served }),
      };
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  async head(key: string): Promise<ObjectHead | undefined> {
    assertObjectKey(key);
    const file = await this.#existingFile(key);
    if (file === undefined) return undefined;
    let info;
    try {
      info = await stat(file);
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
    if (!info.isFile()) return undefined;
    const side = await this.#readSideFile(file);
    return {
      size: info.size,
      lastModified: info.mtime,
      metadata: side.metadata ?? {},
      ...(side.contentType === undefined ? {} : { contentType: side.contentType }),
    };
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    assertListPrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    // Start at the deepest folder the prefix names in full; below it, names are filtered.
    const folderKey = slash < 0 ? '' : prefix.slice(0, slash);
    const start = folderKey === '' ? await this.#realRootIfPresent() : await this.#existingFolder(folderKey);
    if (start === undefined) return;
    yield* this.#walk(start, folderKey === '' ? '' : `${folderKey}/`, prefix);
  }

  async delete(key: string): Promise<void> {
    assertObjectKey(key);
    const file = await this.#existingFile(key);
    if (file === undefined) return;
    await unlinkIfPresent(file);
    await unlinkIfPresent(metaPath(file));
  }

  async cleanupStaging(olderThanMs: number): Promise<CleanupResult> {
    const root = await this.#realRootIfPresent();
    if (root === undefined) return { removed: 0 };
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    const folders = [root];
    for (let dir = folders.pop(); dir !== undefined; dir = folders.pop()) {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        // Dirent.isDirectory() is false for a symbolic link, so the walk never leaves the root.
        if (entry.isDirectory()) {
          folders.push(path);
          continue;
        }
        if (!entry.isFile() || !(await this.#isAbandoned(dir, entry.name))) continue;
        const info = await lstat(path).catch((e: unknown) => (isMissing(e) ? undefined : Promise.reject(e)));
        if (info === undefined || info.mtimeMs >= cutoff) continue;
        await unlinkIfPresent(path);
        removed += 1;
      }
    }
    return { removed };
  }

  /** A temp file, or a side file whose object is gone (a crash between side file and rename). */
  async #isAbandoned(dir: string, name: string): Promise<boolean> {
    if (name.startsWith(STAGING_PREFIX)) return true;
    if (!name.startsWith(META_PREFIX) || !name.endsWith(META_SUFFIX)) return false;
    const objectName = name.slice(META_PREFIX.length, -META_SUFFIX.length);
    return lstat(join(dir, objectName)).then(
      () => false,
      (e: unknown) => (isMissing(e) ? true : Promise.reject(e)),
    );
  }

  async *#walk(dir: string, keyPrefix: string, prefix: string): AsyncGenerator<ListedObject> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if (isMissing(e)) return;
      throw e;
    }
    // Sorting folders as "name/" makes this depth-first walk yield keys in plain string order,
    // the order S3 lists in ("a-b" < "a/c" because "-" < "/").
    const named = entries
      .filter((d) => !d.name.startsWith(RESERVED_NAME_PREFIX) && (d.isDirectory() || d.isFile()))
      .map((d) => ({ dirent: d, sortKey: d.isDirectory() ? `${d.name}/` : d.name }))
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const { dirent, sortKey } of named) {
      const key = `${keyPrefix}${sortKey}`;
      const path = join(dir, dirent.name);
      if (dirent.isDirectory()) {
        // Descend only where some key below can still start with the prefix.
        if (key.startsWith(prefix) || prefix.startsWith(key)) yield* this.#walk(path, key, prefix);
        continue;
      }
      if (!key.startsWith(prefix)) continue;
      const info = await lstat(path).catch((e: unknown) => (isMissing(e) ? undefined : Promise.reject(e)));
      if (info?.isFile()) yield { key, size: info.size, lastModified: info.mtime };
    }
  }

  /** Opens `path` for writing (it must not exist), runs `write`, then fsyncs and closes it. */
  async #writeDurably(path: string, write: (handle: FileHandle) => Promise<number>): Promise<number> {
    const handle = await open(path, 'wx', 0o644);
    try {
      const size = await write(handle);
      await handle.sync();
      return size;
    } finally {
      await handle.close();
    }
  }

  async #writeSideFile(file: string, opts: PutOptions): Promise<void> {
    const side = metaPath(file);
    if (opts.contentType === undefined && (opts.metadata === undefined || Object.keys(opts.metadata).length === 0)) {
      // The object is replaced without metadata: the old object's metadata must not stick to it.
      await unlinkIfPresent(side);
      return;
    }
    const content: SideFile = {
      ...(opts.contentType === undefined ? {} : { contentType: opts.contentType }),
      metadata: { ...opts.metadata },
    };
    const temp = join(dirname(file), `${STAGING_PREFIX}${randomUUID()}`);
    try {
      await this.#writeDurably(temp, async (handle) => {
        const bytes = Buffer.from(JSON.stringify(content));
        await handle.writeFile(bytes);
        return bytes.length;
      });
      await rename(temp, side);
    } catch (e) {
      await unlinkIfPresent(temp);
      throw e;
    }
  }

  async #readSideFile(file: string): Promise<SideFile> {
    try {
      return JSON.parse(await readFile(metaPath(file), 'utf8')) as SideFile;
    } catch (e) {
      if (isMissing(e)) return {};
      throw e;
    }
  }

  #realRootIfPresent(): Promise<string | undefined> {
    return this.#realRootPromise().catch((e: unknown) => (isMissing(e) ? undefined : Promise.reject(e)));
  }

  #realRootPromise(): Promise<string> {
    if (this.#realRoot === undefined) {
      const p = realpath(this.root);
      // A root that does not exist yet is created by the first write: do not cache the failure.
      p.catch(() => (this.#realRoot = undefined));
      this.#realRoot = p;
    }
    return this.#realRoot;
  }

  /** Throws `PATH_ESCAPE` unless `path` (already resolved) is inside the real root. */
  async #confine(path: string, key: string): Promise<void> {
    const root = await this.#realRootPromise();
    if (path !== root && !path.startsWith(root.endsWith(sep) ? root : root + sep)) {
      throw new HfitError('PATH_ESCAPE', `Object key ${JSON.stringify(key)} resolves outside the storage root`);
    }
  }

  /**
   * Creates the folders of `key` one level at a time, refusing any that is not a real folder (a
   * symbolic link could point outside the root, and `mkdir -p` would follow it). Returns the
   * real path of the object's folder.
   */
  async #ensureFolder(key: string): Promise<string> {
    await mkdir(this.root, { recursive: true });
    let dir = await this.#realRootPromise();
    const segments = key.split('/').slice(0, -1);
    for (const segment of segments) {
      dir = join(dir, segment);
      try {
        await mkdir(dir);
      } catch (e) {
        if (errnoCode(e) !== 'EEXIST') throw e;
      }
      const info = await lstat(dir);
      if (!info.isDirectory()) {
        throw new HfitError('PATH_ESCAPE', `Cannot store ${JSON.stringify(key)}: ${JSON.stringify(segment)} is not a plain folder inside the storage root`);
      }
    }
    await this.#confine(dir, key);
    return dir;
  }

  /** Real path of the folder `folderKey` names, or `undefined` when it does not exist. */
  async #existingFolder(folderKey: string): Promise<string | undefined> {
    let real: string;
    try {
      real = await realpath(join(this.root, ...folderKey.split('/')));
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
    await this.#confine(real, folderKey);
    return real;
  }

  /** Real path of the file `key` names (checked to be inside the root), or `undefined`. */
  async #existingFile(key: string): Promise<string | undefined> {
    let real: string;
    try {
      real = await realpath(join(this.root, ...key.split('/')));
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
    await this.#confine(real, key);
    return real;
  }
}
