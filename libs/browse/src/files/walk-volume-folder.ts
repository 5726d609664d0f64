import { constants, type Dir, type Stats } from 'node:fs';
import { lstat, open, opendir, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { WalkAccess } from './volume-access.js';
import { isInside, type VolumeFolder } from './volume-folder.js';

/** One entry found by {@link walkVolumeFolder}. */
export interface WalkedEntry {
  /** Base name. */
  readonly name: string;
  /** Path relative to the volume root, `/`-separated. */
  readonly path: string;
  /** Bytes (of the target, for a symlink); 0 for folders. */
  readonly size: number;
  readonly mtimeMs: number;
  readonly isdir: boolean;
}

/** Options of {@link walkVolumeFolder}. */
export interface WalkOptions {
  /** Also yield folders (as `isdir: true`), not only regular files. */
  readonly folders: boolean;
  /** Stops the walk: the iteration throws the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Keeps the walk to what a user may see: files and folders it refuses are not listed, and
   * refused folders are not walked into (nothing below them is even read).
   */
  readonly access?: WalkAccess | undefined;
}

/**
 * Walks a checked folder of a volume recursively and yields its regular files (and folders when
 * asked), streaming: one directory is open at a time, read entry by entry; what remains is a stack
 * of folder paths still to visit. Each folder's entries come in directory order, then its
 * sub-folders are visited.
 *
 * Confinement, so nothing outside the volume root is ever listed:
 * - sub-folders are opened with `O_NOFOLLOW` and the opened descriptor's real path (from /proc) is
 *   checked against the root, so a folder swapped for a symlink between listing and opening is
 *   skipped, not followed;
 * - symlinks are never descended: every folder inside the root is reached through its real path, so
 *   following them would only repeat files under other names (and invite loops). Under
 *   `symlinks: confine` a symlink is listed, with its target's size and time, when its target lies
 *   inside the root (files; folders too when `folders` is set); dangling links, loops and links
 *   leading out are skipped. Under `symlinks: deny` symlinks are skipped altogether;
 * - a folder reached twice (same device and inode, e.g. through a bind mount) is walked once.
 *
 * Entries that cannot be read (permissions, vanished while walking) are skipped. Devices, sockets
 * and FIFOs are never listed. With `access`, what it refuses is skipped (a symlink needs both its
 * own path and its target's allowed).
 */
export async function* walkVolumeFolder(folder: VolumeFolder, options: WalkOptions): AsyncGenerator<WalkedEntry, void, undefined> {
  const { root, volume } = folder;
  const { signal, access } = options;
  const pending: { abs: string; rel: string }[] = [{ abs: folder.real, rel: folder.rel }];
  const visited = new Set<string>();
  for (let next = pending.pop(); next; next = pending.pop()) {
    signal?.throwIfAborted();
    const opened = await openConfinedDir(next.abs, root, visited);
    if (!opened) continue;
    const subFolders: { abs: string; rel: string }[] = [];
    try {
      for (;;) {
        signal?.throwIfAborted();
        let entry: { name: string } | null;
        try {
          entry = await opened.dir.read();
        } catch {
          break; // The directory became unreadable mid-way: keep what was listed.
        }
        if (entry === null) break;
        const abs = path.join(opened.real, entry.name);
        const rel = next.rel ? `${next.rel}/${entry.name}` : entry.name;
        const st = await lstat(abs).catch(() => undefined);
        if (!st) continue;
        if (st.isDirectory()) {
          if (access && !access.folder(rel)) continue;
          subFolders.push({ abs, rel });
          if (options.folders) yield folderEntry(entry.name, rel, st);
        } else if (st.isFile()) {
          if (access && !access.file(rel)) continue;
          yield { name: entry.name, path: rel, size: st.size, mtimeMs: st.mtimeMs, isdir: false };
        } else if (st.isSymbolicLink() && volume.symlinks === 'confine') {
          if (access && !access.file(rel) && !access.folder(rel)) continue;
          const target = await confinedTarget(abs, root);
          const targetRel = target && relativeTo(root, target.real);
          if (target?.stats.isFile() && (!access || (access.file(rel) && access.file(targetRel!))))
            yield { name: entry.name, path: rel, size: target.stats.size, mtimeMs: target.stats.mtimeMs, isdir: false };
          else if (target?.stats.isDirectory() && options.folders && (!access || (access.folder(rel) && access.folder(targetRel!))))
            yield folderEntry(entry.name, rel, target.stats);
        }
      }
    } finally {
      await opened.dir.close().catch(() => undefined);
    }
    // Reversed onto the stack, so sub-folders are visited in the order they were listed.
    for (let i = subFolders.length - 1; i >= 0; i--) pending.push(subFolders[i]!);
  }
}

function folderEntry(name: string, rel: string, st: Stats): WalkedEntry {
  return { name, path: rel, size: 0, mtimeMs: st.mtimeMs, isdir: true };
}

/** A symlink's target and its stats when it resolves (no loop, not dangling) to a place inside the root. */
async function confinedTarget(abs: string, root: string): Promise<{ real: string; stats: Stats } | undefined> {
  const real = await realpath(abs).catch(() => undefined);
  if (real === undefined || !isInside(root, real)) return undefined;
  const stats = await stat(real).catch(() => undefined);
  return stats && { real, stats };
}

/** `real` (under `root`) relative to `root`, `/`-separated. */
export function relativeTo(root: string, real: string): string {
  return path.relative(root, real).split(path.sep).join('/');
}

/**
 * Opens a directory without following a symlink in its last component, checks the real path of
 * what was opened, and marks it visited. Undefined when it cannot be opened, lies outside the root
 * or was walked already.
 */
async function openConfinedDir(abs: string, root: string, visited: Set<string>): Promise<{ dir: Dir; real: string } | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(abs, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const st = await handle.stat();
    const id = `${st.dev}:${st.ino}`;
    if (visited.has(id)) return undefined;
    visited.add(id);
    const proc = `/proc/self/fd/${handle.fd}`;
    const real = await readlink(proc).catch(() => undefined);
    if (real !== undefined) {
      if (!isInside(root, real)) return undefined;
      // Reading through the descriptor's /proc entry lists exactly the directory that was checked.
      return { dir: await opendir(proc), real };
    }
    // No /proc (not Linux): check the path instead, which a concurrent rename could still race.
    const resolved = await realpath(abs);
    if (!isInside(root, resolved)) return undefined;
    return { dir: await opendir(resolved), real: resolved };
  } catch {
    return undefined;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
