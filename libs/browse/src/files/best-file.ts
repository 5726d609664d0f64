import type { LoadedServerConfig } from '@hfit/config';
import { HfitError, type FileEntry } from '@hfit/contracts';
import { fileComparator, fileMatcher } from './file-matcher.js';
import { grantedFolder, toFileFilters, type VolumeListingOptions } from './list-volume-files.js';
import { describeFileFilters, type FileFilters, type FileSort } from './parse-file-filters.js';
import { toFileEntry } from './to-file-entry.js';
import { walkAccessOf } from './volume-access.js';
import { walkVolumeFolder, type WalkedEntry } from './walk-volume-folder.js';

/** Sort of {@link bestFile} when the filters give none: the newest file wins. */
export const BEST_FILE_DEFAULT_SORT: FileSort = { key: 'mtime', order: 'desc' };

/**
 * The original's "best file": of the files {@link listVolumeFiles} would list with the same filters
 * (recursively below the root or the `path:` folder; folders never count), the first after sorting
 * by `sort:` — newest first when no sort is given — with ties broken by path. Only the best entry
 * so far is kept while walking, so memory does not grow with the folder. Download it with
 * {@link openVolumeDownload} and its `path`. With `options.access`, the `files` action is needed
 * and only granted files are candidates.
 *
 * @throws HfitError `FILE_NOT_FOUND` naming the folder and the filters when no file matches; and
 *   what {@link listVolumeFiles} throws for bad filters, volumes or folders.
 */
export async function bestFile(
  config: Pick<LoadedServerConfig, 'volumes'>,
  volume: string,
  filters: FileFilters | readonly string[],
  options: VolumeListingOptions = {},
): Promise<FileEntry> {
  const parsed = toFileFilters(filters);
  const folder = await grantedFolder(config, volume, parsed.path, options.access, 'files');
  const vol = folder.volume;
  const matches = fileMatcher(parsed.conditions, (options.now ?? new Date()).getTime());
  const before = fileComparator(parsed.sort ?? BEST_FILE_DEFAULT_SORT);
  const access = options.access && walkAccessOf(options.access, vol.name);
  let best: WalkedEntry | undefined;
  for await (const e of walkVolumeFolder(folder, { folders: false, signal: options.signal, access })) {
    if (matches(e) && (best === undefined || before(e, best) < 0)) best = e;
  }
  if (best === undefined) {
    const where = folder.rel ? `folder "${folder.rel}"` : 'the root';
    throw new HfitError(
      'FILE_NOT_FOUND',
      `no file below ${where} of volume "${vol.name}" matches ${describeFileFilters(parsed)}: list the folder to see what is there, or loosen the filters`,
      { field: 'filter' },
    );
  }
  return toFileEntry(best);
}
