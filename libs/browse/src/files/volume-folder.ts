import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { VolumeConfig } from '@hfit/config';
import { HfitError } from '@hfit/contracts';
import { checkVolumePath } from '@hfit/engine';

/** A folder of a volume whose real location was checked to lie under the volume's real root. */
export interface VolumeFolder {
  readonly volume: VolumeConfig;
  /** The volume root with symlinks resolved. */
  readonly root: string;
  /** Real (symlink-free) absolute path of the folder. */
  readonly real: string;
  /** The folder relative to the root, `/`-separated, as the caller named it; '' for the root. */
  readonly rel: string;
}

/** True when `candidate` is `root` or below it (both real, absolute). */
export function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** The volume root with symlinks resolved. */
export async function volumeRealRoot(volume: VolumeConfig): Promise<string> {
  try {
    return await realpath(volume.root);
  } catch (err) {
    throw new HfitError('VOLUME_UNKNOWN', `volume "${volume.name}": its root is not readable by the server (${(err as NodeJS.ErrnoException).code ?? 'error'}): check the server configuration`, {
      cause: err,
    });
  }
}

/**
 * Resolves `rel` (undefined or `.` = the root) to a folder of the volume. The path is checked
 * lexically first (no `..`, NUL, backslash or absolute path: `PATH_ESCAPE`), then its real path must
 * stay under the real root (`PATH_ESCAPE` for a symlink leading out; with `symlinks: deny`, for any
 * symlink on the way). A folder that is missing, not a folder, unreadable or a symlink loop is
 * `FILE_NOT_FOUND`.
 */
export async function resolveVolumeFolder(volume: VolumeConfig, rel: string | undefined, field = 'path'): Promise<VolumeFolder> {
  const root = await volumeRealRoot(volume);
  const clean = rel === undefined ? '' : checkVolumePath(volume, rel, field).replace(/\/+$/, '').replace(/^\.$/, '');
  const lexical = clean === '' ? root : path.join(root, ...clean.split('/'));
  const notFound = (why: string) => new HfitError('FILE_NOT_FOUND', `volume "${volume.name}" has no folder "${clean}": ${why}`, { field });
  let real: string;
  try {
    real = await realpath(lexical);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw notFound('it is a symlink loop');
    if (code === 'EACCES' || code === 'EPERM') throw notFound('it is not readable by the server');
    if (code === 'ENOENT' || code === 'ENOTDIR') throw notFound('it does not exist; list the volume to see its folders');
    throw err;
  }
  if (!isInside(root, real))
    throw new HfitError('PATH_ESCAPE', `folder "${clean}" on volume "${volume.name}" resolves outside the volume root (symlink): refusing to list it`, { field });
  if (volume.symlinks === 'deny' && real !== lexical)
    throw new HfitError('PATH_ESCAPE', `folder "${clean}" on volume "${volume.name}" goes through a symlink and the volume does not allow them: name its real path`, {
      field,
    });
  const st = await stat(real).catch(() => undefined);
  if (!st?.isDirectory()) throw notFound('it is not a folder');
  if (!(await access(real, constants.R_OK | constants.X_OK).then(() => true, () => false))) throw notFound('it is not readable by the server');
  return { volume, root, real, rel: clean };
}
