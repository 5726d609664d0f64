import { HfitError } from '@hfit/contracts';

/**
 * The `ARCHIVE_UNSAFE` error of an unpack: names the archive and why it was refused, and says that
 * nothing was unpacked (the staging folder is removed and an existing package folder is kept).
 * @param archive - how to name the archive, usually its file name.
 * @param why - what is wrong, e.g. `entry "pkg/../x" has a ".." segment`.
 */
export function archiveUnsafe(archive: string, why: string, cause?: unknown): HfitError {
  return new HfitError(
    'ARCHIVE_UNSAFE',
    `Refused to unpack ${archive}: ${why}. Nothing was unpacked; an existing package folder was left as it was`,
    cause === undefined ? {} : { cause },
  );
}

/** {@link archiveUnsafe} for one entry: `entry "<name>" <why>`. */
export function entryUnsafe(archive: string, entryName: string, why: string, cause?: unknown): HfitError {
  return archiveUnsafe(archive, `entry ${JSON.stringify(entryName)} ${why}`, cause);
}
