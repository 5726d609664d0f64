import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { HfitError, type ErrorDetail, type ManifestFile } from '@hfit/contracts';

/** Absolute path of a manifest file inside the package folder. */
export function packageFilePath(dir: string, file: ManifestFile): string {
  return path.join(dir, ...file.path.split('/'));
}

/** Whether `child` is `root` or lies below it (both already resolved). */
export function isInside(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

async function problemOf(dir: string, realDir: string, file: ManifestFile, signal: AbortSignal | undefined): Promise<string | undefined> {
  const p = packageFilePath(dir, file);
  let info;
  try {
    info = await lstat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return 'is missing';
    throw err;
  }
  if (!info.isFile()) return info.isSymbolicLink() ? 'is a symbolic link, not a regular file' : 'is not a regular file';
  if (!isInside(realDir, await realpath(p))) return 'lies outside the package folder (through a linked folder)';
  if (info.size !== file.bytes) return `has ${info.size} bytes, the manifest says ${file.bytes}`;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(p, { signal })) hash.update(chunk as Buffer);
  return hash.digest('hex') === file.sha256 ? undefined : 'has a different sha256 than the manifest';
}

/**
 * Checks every file the manifest lists against the package folder, streaming each through
 * sha256: it must exist as a regular file inside the folder with the listed size and sha256.
 * Runs before anything is written to the target, so a damaged package changes nothing.
 * @throws HfitError `IMPORT_PACKAGE_INVALID` listing every file that does not match.
 */
export async function verifyPackageFiles(dir: string, packageName: string, files: readonly ManifestFile[], signal?: AbortSignal): Promise<void> {
  const realDir = await realpath(dir);
  const details: ErrorDetail[] = [];
  for (const f of files) {
    signal?.throwIfAborted();
    const problem = await problemOf(dir, realDir, f, signal);
    if (problem) details.push({ field: f.path, message: `${f.path} ${problem}` });
  }
  if (details.length)
    throw new HfitError(
      'IMPORT_PACKAGE_INVALID',
      `${details.length} of ${files.length} files of package "${packageName}" do not match its manifest, so nothing was imported: ${details
        .map((d) => d.message)
        .join('; ')}. Download the package again.`,
      { details },
    );
}
