import type { ReadStream } from 'node:fs';
import type { Access } from '@hfit/access';
import { realpath, stat, type FileHandle } from 'node:fs/promises';
import nodePath from 'node:path';
import { findVolume, type LoadedServerConfig, type VolumeConfig } from '@hfit/config';
import { HfitError } from '@hfit/contracts';
import { checkVolumePath, openVolumeFile, type OpenedVolumeFile } from '@hfit/engine';
import { isInside, volumeRealRoot } from './volume-folder.js';
import { relativeTo } from './walk-volume-folder.js';

/** Options of {@link openVolumeDownload}. */
export interface VolumeDownloadOptions {
  /**
   * The caller's access. When given: the `files` action and a grant on the volume (by name, before
   * it is looked up), then on the normalised path, then on the real path the file resolves to
   * (before it is opened) and on the real path of the opened descriptor (before a byte is read).
   */
  readonly access?: Access | undefined;
}

/** A volume file opened for download; the caller streams it and must end or close it. */
export interface VolumeDownload {
  /** Base name, for `Content-Disposition`. */
  readonly name: string;
  /** Path relative to the volume root, normalised. */
  readonly path: string;
  /** Bytes, as of the open (for `Content-Length`). */
  readonly size: number;
  /** Last modification, ISO 8601 UTC (for `Last-Modified`, after `new Date(…)`). */
  readonly modtime: string;
  /** The open file. Reading it reads exactly the file that was checked, whatever happens to the path. */
  readonly handle: FileHandle;
  /**
   * A stream of the file (or of bytes `start`..`end`, inclusive, for ranges) that closes the handle
   * when it ends or is destroyed. Call it at most once.
   */
  createReadStream(range?: { readonly start?: number; readonly end?: number }): ReadStream;
  /** Closes the file (or destroys the stream made from it). Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Opens one file of a volume for download through the engine's {@link openVolumeFile}: the path is
 * checked lexically (no `..`, NUL, backslash, absolute path), then the file actually opened must lie
 * under the volume's real root (symlinks are followed only inside it under `symlinks: confine`, not
 * at all under `deny`). Folders and special files are not files.
 *
 * Before that, the path's target is resolved and checked without opening anything: opening a
 * named pipe for reading would block until some writer appears (a stuck request and a libuv
 * worker thread), and a symlink leading out of the root is refused before its target is touched.
 *
 * @throws HfitError `FORBIDDEN` (see `options.access`), `VOLUME_UNKNOWN`, `PATH_ESCAPE`,
 *   `FILE_NOT_FOUND` (missing, not a regular file, or not readable by the server).
 */
export async function openVolumeDownload(
  config: Pick<LoadedServerConfig, 'volumes'>,
  volume: string,
  path: string,
  options: VolumeDownloadOptions = {},
): Promise<VolumeDownload> {
  const { access } = options;
  if (access) {
    access.requireAction('files');
    access.requireSeeVolume(volume);
  }
  const vol = findVolume(config, volume);
  const authorize = access && ((rel: string) => access.requireVolumePath(vol.name, rel));
  authorize?.(checkVolumePath(vol, path, 'path'));
  await checkRegularFileInside(vol, path, authorize);
  let file: OpenedVolumeFile;
  try {
    file = await openVolumeFile(vol, path, 'path', authorize);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EISDIR')
      throw new HfitError('FILE_NOT_FOUND', `"${path}" on volume "${vol.name}" cannot be read by the server (${code})`, { field: 'path', cause: err });
    throw err;
  }
  let stream: ReadStream | undefined;
  let closed = false;
  return {
    name: file.name,
    path: file.path,
    size: file.size,
    modtime: new Date(file.mtimeMs).toISOString(),
    handle: file.handle,
    createReadStream(range = {}) {
      if (stream || closed) throw new Error(`createReadStream of "${file.path}" was already called or the download closed: open it again`);
      stream = file.handle.createReadStream({ autoClose: true, ...range });
      return stream;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (!stream) return file.handle.close();
      if (stream.closed) return;
      await new Promise<void>((resolve) => stream!.destroy().once('close', () => resolve()));
    },
  };
}

/**
 * Resolves the path's target and checks it lies inside the root and is a regular file, opening
 * nothing. {@link openVolumeFile} checks again on the opened descriptor: this pass only keeps
 * pipes, devices and targets outside the root from being opened at all.
 */
async function checkRegularFileInside(volume: VolumeConfig, rel: string, authorize: ((realRel: string) => void) | undefined): Promise<void> {
  const clean = checkVolumePath(volume, rel, 'path');
  const root = await volumeRealRoot(volume);
  const lexical = nodePath.join(root, ...clean.split('/'));
  const notFound = (why: string) => new HfitError('FILE_NOT_FOUND', `volume "${volume.name}" has no file "${clean}": ${why}`, { field: 'path' });
  let real: string;
  try {
    real = await realpath(lexical);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' && volume.symlinks === 'deny')
      throw new HfitError('PATH_ESCAPE', `"${clean}" on volume "${volume.name}" is a symlink and the volume does not allow them`, { field: 'path' });
    if (code === 'ELOOP') throw notFound('it is a symlink loop');
    if (code === 'ENOENT' || code === 'ENOTDIR') throw notFound('it does not exist; list the volume to see its files');
    if (code === 'EACCES' || code === 'EPERM') throw notFound('it is not readable by the server');
    throw err;
  }
  if (!isInside(root, real) || (volume.symlinks === 'deny' && real !== lexical))
    throw new HfitError('PATH_ESCAPE', `"${clean}" on volume "${volume.name}" resolves outside the volume root (symlink): refusing to read it`, { field: 'path' });
  authorize?.(relativeTo(root, real));
  const st = await stat(real).catch(() => undefined);
  if (!st?.isFile()) throw notFound(st?.isDirectory() ? 'it is a folder; download files one by one' : 'it is not a regular file');
}
