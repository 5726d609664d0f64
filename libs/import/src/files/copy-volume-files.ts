import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, realpath, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { HfitError, type ManifestFile } from '@hfit/contracts';
import { packagePathProblem } from '../package/package-path.js';
import { isInside, packageFilePath } from '../package/verify-package-files.js';

/** One volume file copied out of the package. */
export interface CopiedFile {
  /** Absolute path of the file in the package folder. */
  readonly from: string;
  /** Absolute path it was copied to. */
  readonly to: string;
  readonly bytes: number;
}

function escape(rel: string, why: string): HfitError {
  return new HfitError('PATH_ESCAPE', `volume file ${JSON.stringify(rel)} would be written outside the files folder: ${why}; nothing was copied there`, {
    field: rel,
  });
}

/**
 * The folder a file at package path `rel` goes to, below `realRoot` (already resolved): every
 * existing folder on the way must be a folder inside the root once links are followed; with
 * `create`, missing ones are made (one level at a time, so no link is followed unchecked).
 * Without `create`, returns undefined as soon as a folder is missing (nothing further to check).
 * @throws HfitError `PATH_ESCAPE` when the path or a linked folder leads outside the root.
 */
async function destinationFolder(realRoot: string, rel: string, create: boolean): Promise<string | undefined> {
  const problem = packagePathProblem(rel);
  if (problem) throw escape(rel, `the path ${problem}`);
  const folders = rel.split('/').slice(0, -1);
  let current = realRoot;
  for (const name of folders) {
    const next = path.join(current, name);
    let info;
    try {
      info = await lstat(next);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (!create) return undefined;
      await mkdir(next);
      current = next;
      continue;
    }
    if (info.isSymbolicLink()) {
      const real = await realpath(next);
      if (!isInside(realRoot, real)) throw escape(rel, `${next} is a link to ${real}`);
      if (!(await lstat(real)).isDirectory()) throw escape(rel, `${next} is not a folder`);
      current = real;
    } else if (info.isDirectory()) current = next;
    else throw escape(rel, `${next} is not a folder`);
  }
  return current;
}

/**
 * Checks, without writing, that every volume file can be copied below `filesDir`: run before the
 * import writes anything, so a package or files folder that would lead outside is refused early.
 * @throws HfitError `PATH_ESCAPE`.
 */
export async function checkVolumeDestinations(files: readonly ManifestFile[], filesDir: string): Promise<void> {
  if (!files.length) return;
  const root = path.resolve(filesDir);
  const realRoot = await realpath(root).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (realRoot === undefined) {
    // A new files folder: only the package paths themselves can lead outside it.
    for (const f of files) {
      const problem = packagePathProblem(f.path);
      if (problem) throw escape(f.path, `the path ${problem}`);
    }
    return;
  }
  for (const f of files) await destinationFolder(realRoot, f.path, false);
}

/**
 * Copies the package's volume files (`file` / `files` exports) into `filesDir`, each at its package
 * path (`invoices/a.txt` → `<filesDir>/invoices/a.txt`), creating folders as needed. Nothing is
 * written outside `filesDir`: paths are plain relative paths, and a folder on the way that is a
 * link must lead to a folder inside it. Each file is written to a temporary name and renamed over
 * the destination, so an existing file (or a link in its place) is replaced, never written through.
 * @throws HfitError `PATH_ESCAPE` for a path leading outside `filesDir`.
 */
export async function copyVolumeFiles(
  packageDir: string,
  files: readonly ManifestFile[],
  filesDir: string,
  options: {
    signal?: AbortSignal | undefined;
    onStart?: ((file: ManifestFile) => void) | undefined;
    onCopied?: ((file: ManifestFile, copied: CopiedFile, durationMs: number) => void) | undefined;
  } = {},
): Promise<CopiedFile[]> {
  if (!files.length) return [];
  const root = path.resolve(filesDir);
  await mkdir(root, { recursive: true });
  const realRoot = await realpath(root);
  const copied: CopiedFile[] = [];
  for (const f of files) {
    options.signal?.throwIfAborted();
    const t0 = performance.now();
    options.onStart?.(f);
    const folder = (await destinationFolder(realRoot, f.path, true)) ?? realRoot;
    const base = path.basename(f.path);
    const to = path.join(folder, base);
    const temp = path.join(folder, `.${base}.hfit-${randomBytes(4).toString('hex')}.tmp`);
    const from = packageFilePath(packageDir, f);
    try {
      await pipeline(createReadStream(from), createWriteStream(temp, { flags: 'wx' }), { signal: options.signal });
      await rename(temp, to);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    const entry: CopiedFile = { from, to, bytes: f.bytes };
    copied.push(entry);
    options.onCopied?.(f, entry, Math.round(performance.now() - t0));
  }
  return copied;
}
