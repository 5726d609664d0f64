import type { Access } from '@hfit/access';
import { findVolume, type LoadedServerConfig, type VolumeConfig } from '@hfit/config';
import type { Action, FileEntry } from '@hfit/contracts';
import { checkVolumePath } from '@hfit/engine';
import { fileComparator, fileMatcher } from './file-matcher.js';
import { parseFileFilters, type FileFilters } from './parse-file-filters.js';
import { toFileEntry } from './to-file-entry.js';
import { walkAccessOf } from './volume-access.js';
import { resolveVolumeFolder, type VolumeFolder } from './volume-folder.js';
import { relativeTo, walkVolumeFolder, type WalkedEntry } from './walk-volume-folder.js';

/** Options of {@link listVolumeFiles} and {@link bestFile}. */
export interface VolumeListingOptions {
  /** Stops the walk (client gone): the iteration throws the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** The moment `mtime:` filters count back from; default: when the call is made. */
  readonly now?: Date | undefined;
  /**
   * The caller's access. When given, the listing needs its action (`browse`; `files` for
   * {@link bestFile}) and a grant on the volume and folder, checked before the folder is touched;
   * then only granted files (and folders that are or may hold granted files) are listed, and
   * folders nothing could be granted in are not walked.
   */
  readonly access?: Access | undefined;
}

/**
 * The volume and folder a listing starts from, with the caller's access checked first: the action
 * and the volume by name (before the volume is even looked up), the folder lexically, then the
 * folder's real path (a symlinked folder may lead elsewhere in the volume).
 */
export async function grantedFolder(
  config: Pick<LoadedServerConfig, 'volumes'>,
  volume: string,
  rel: string | undefined,
  access: Access | undefined,
  action: Action,
): Promise<VolumeFolder> {
  if (access) {
    access.requireAction(action);
    access.requireSeeVolume(volume);
  }
  const vol: VolumeConfig = findVolume(config, volume);
  if (access && rel !== undefined) access.requireSeeVolumeFolder(vol.name, checkVolumePath(vol, rel, 'filter'));
  const folder = await resolveVolumeFolder(vol, rel, 'filter');
  if (access) access.requireSeeVolumeFolder(vol.name, relativeTo(folder.root, folder.real));
  return folder;
}

/** Typed filters as given, or parsed from their text form. */
export function toFileFilters(filters: FileFilters | readonly string[]): FileFilters {
  return isFilterList(filters) ? parseFileFilters(filters) : filters;
}

function isFilterList(filters: FileFilters | readonly string[]): filters is readonly string[] {
  return Array.isArray(filters);
}

/**
 * Lists a volume recursively (from its root, or from the `path:` folder), as the original
 * `hfit files <volume> [filter…]` did: `{name, path, size, modtime, isdir}` per entry, `path`
 * relative to the volume root.
 *
 * - Without any `name:`/`mtime:`/`size:` condition, folders are listed too (`isdir: true`, size 0),
 *   each before its content. With a condition, only files that meet every condition are listed:
 *   size and time conditions mean nothing for folders, and a name glob is about files.
 * - Without `sort:` entries stream in directory order as the walk finds them, holding one open
 *   directory at a time. With `sort:` the matching entries are gathered first, then sorted (ties
 *   by path): memory then grows with the number of matches.
 * - Confinement: see {@link walkVolumeFolder}; nothing outside the volume root is ever listed.
 *
 * Everything that can be wrong with the request is checked before this resolves, so a caller can
 * answer with an error before it starts streaming; the walk itself starts on the first iteration
 * and releases its directory handle when the iteration ends, early or not.
 *
 * @throws HfitError `REQUEST_INVALID` (a filter), `VOLUME_UNKNOWN`, `PATH_ESCAPE` (`path:` leaves
 *   the root), `FILE_NOT_FOUND` (`path:` is not a folder), `FORBIDDEN` (see `options.access`).
 */
export async function listVolumeFiles(
  config: Pick<LoadedServerConfig, 'volumes'>,
  volume: string,
  filters: FileFilters | readonly string[],
  options: VolumeListingOptions = {},
): Promise<AsyncIterable<FileEntry>> {
  const parsed = toFileFilters(filters);
  const folder = await grantedFolder(config, volume, parsed.path, options.access, 'browse');
  return listing(folder, parsed, options);
}

async function* listing(folder: VolumeFolder, filters: FileFilters, options: VolumeListingOptions): AsyncGenerator<FileEntry, void, undefined> {
  const matches = fileMatcher(filters.conditions, (options.now ?? new Date()).getTime());
  const access = options.access && walkAccessOf(options.access, folder.volume.name);
  const walk = walkVolumeFolder(folder, { folders: filters.conditions.length === 0, signal: options.signal, access });
  if (!filters.sort) {
    for await (const e of walk) if (matches(e)) yield toFileEntry(e);
    return;
  }
  const found: WalkedEntry[] = [];
  for await (const e of walk) if (matches(e)) found.push(e);
  found.sort(fileComparator(filters.sort));
  for (const e of found) yield toFileEntry(e);
}
