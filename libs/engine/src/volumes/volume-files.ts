import { constants } from 'node:fs';
import { open, readdir, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import type { VolumeConfig } from '@hfit/config';
import { HfitError } from '@hfit/contracts';

/** A regular file found on a volume. */
export interface VolumeFile {
  /** Path relative to the volume root, `/`-separated. */
  readonly path: string;
  /** Base name. */
  readonly name: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** A file opened for reading after its real location was checked against the volume root. */
export interface OpenedVolumeFile extends VolumeFile {
  readonly handle: FileHandle;
}

const realRoots = new Map<string, Promise<string>>();

/** The volume root with symlinks resolved (cached: roots are configuration, not data). */
function realRoot(volume: VolumeConfig): Promise<string> {
  let p = realRoots.get(volume.root);
  if (!p) {
    p = realpath(volume.root).catch((err: unknown) => {
      realRoots.delete(volume.root);
      throw new HfitError('VOLUME_UNKNOWN', `volume "${volume.name}": root ${volume.root} is not readable (${(err as Error).message})`, { cause: err });
    });
    realRoots.set(volume.root, p);
  }
  return p;
}

function inside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * Checks a template-given path lexically: relative, no `..` segment, no NUL, no backslash.
 * Returns the normalised POSIX form.
 */
export function checkVolumePath(volume: VolumeConfig, rel: string, field?: string): string {
  const loc = field === undefined ? {} : { field };
  const problem =
    rel.length === 0
      ? 'is empty'
      : rel.includes('\0')
        ? 'contains a NUL byte'
        : rel.includes('\\')
          ? 'contains a backslash'
          : path.posix.isAbsolute(rel)
            ? 'is absolute'
            : rel.split('/').includes('..')
              ? 'contains ".."'
              : undefined;
  if (problem)
    throw new HfitError('PATH_ESCAPE', `path "${rel}" on volume "${volume.name}" ${problem}: give a path relative to the volume root, without ".."`, loc);
  return path.posix.normalize(rel);
}

/** Throws when a file of the volume (its real path relative to the real root) may not be read. */
export type VolumeFileAuthorize = (realPath: string) => void;

/** `real` (absolute, under `root`) relative to `root`, `/`-separated. */
function relativeToRoot(root: string, real: string): string {
  return path.relative(root, real).split(path.sep).join('/');
}

/**
 * Opens a file of a volume for reading. The file actually opened is checked, not just the path:
 * its real path (read back from the open descriptor, so a symlink swapped after a check cannot
 * redirect the read) must lie under the volume's real root; with `symlinks: deny` no symlink may be
 * crossed at all. With `authorize`, that real path (relative to the root) must also be allowed,
 * before anything is read from the descriptor.
 */
export async function openVolumeFile(volume: VolumeConfig, rel: string, field?: string, authorize?: VolumeFileAuthorize): Promise<OpenedVolumeFile> {
  const loc = field === undefined ? {} : { field };
  const clean = checkVolumePath(volume, rel, field);
  const root = await realRoot(volume);
  const lexical = path.join(root, ...clean.split('/'));
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO (or a device) would otherwise block until a writer appears; such a
    // file is refused below as not regular. It does not change reads of regular files.
    handle = await open(lexical, constants.O_RDONLY | constants.O_NONBLOCK | (volume.symlinks === 'deny' ? constants.O_NOFOLLOW : 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new HfitError('FILE_NOT_FOUND', `volume "${volume.name}" has no file "${clean}"`, loc);
    if (code === 'ELOOP' && volume.symlinks === 'confine')
      throw new HfitError('FILE_NOT_FOUND', `"${clean}" on volume "${volume.name}" is a symlink loop, not a file`, loc);
    if (code === 'ELOOP')
      throw new HfitError('PATH_ESCAPE', `"${clean}" on volume "${volume.name}" is a symlink and the volume does not allow them`, loc);
    throw err;
  }
  try {
    const real = await realPathOfHandle(handle, lexical);
    if (!inside(root, real) || (volume.symlinks === 'deny' && real !== lexical))
      throw new HfitError('PATH_ESCAPE', `"${clean}" on volume "${volume.name}" resolves outside the volume root (symlink): refusing to read it`, loc);
    authorize?.(relativeToRoot(root, real));
    const st = await handle.stat();
    if (!st.isFile()) throw new HfitError('FILE_NOT_FOUND', `"${clean}" on volume "${volume.name}" is not a regular file`, loc);
    return { handle, path: clean, name: path.posix.basename(clean), size: st.size, mtimeMs: st.mtimeMs };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** Real path of an open descriptor (Linux /proc), falling back to realpath where /proc is absent. */
async function realPathOfHandle(handle: FileHandle, lexical: string): Promise<string> {
  try {
    return await readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    return realpath(lexical);
  }
}

/** Sort order of {@link findVolumeFiles}. */
export interface VolumeFileSort {
  readonly key: 'mtime' | 'name' | 'size';
  readonly order: 'asc' | 'desc';
}

/**
 * Lists the regular files of a volume whose root-relative path matches `glob` (picomatch syntax;
 * `*` does not cross `/`, use `**` for sub-folders). Symlinked directories are not descended (no
 * loops, no escapes); symlinked files count only when their target is inside the root. Ties in the
 * sort key are broken by path so the choice is deterministic.
 */
export async function findVolumeFiles(volume: VolumeConfig, glob: string, sort: VolumeFileSort = { key: 'name', order: 'asc' }): Promise<VolumeFile[]> {
  if (glob.includes('\0') || path.posix.isAbsolute(glob) || glob.split('/').includes('..'))
    throw new HfitError('PATH_ESCAPE', `glob "${glob}" on volume "${volume.name}" must be relative to the volume root, without ".."`);
  const root = await realRoot(volume);
  const isMatch = picomatch(glob, { dot: false });
  const found: VolumeFile[] = [];
  const walk = async (dir: string, relDir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      const rel = relDir ? `${relDir}/${e.name}` : e.name;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) await walk(abs, rel);
      else if (e.isFile() || e.isSymbolicLink()) {
        if (!isMatch(rel)) continue;
        if (e.isSymbolicLink()) {
          if (volume.symlinks === 'deny') continue;
          const real = await realpath(abs).catch(() => undefined);
          if (real === undefined || !inside(root, real)) continue;
        }
        const st = await stat(abs).catch(() => undefined);
        if (st?.isFile()) found.push({ path: rel, name: e.name, size: st.size, mtimeMs: st.mtimeMs });
      }
    }
  };
  await walk(root, '');
  const dir = sort.order === 'asc' ? 1 : -1;
  const by = (f: VolumeFile): number | string => (sort.key === 'mtime' ? f.mtimeMs : sort.key === 'size' ? f.size : f.path);
  found.sort((a, b) => {
    const x = by(a);
    const y = by(b);
    return (x < y ? -1 : x > y ? 1 : 0) * dir || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  });
  return found;
}
