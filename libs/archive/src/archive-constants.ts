import type { ArchiveFormat } from './archive-entry.js';

/**
 * Modification time of every entry: 2000-01-01T00:00:00Z. Not the Unix epoch, because a zip DOS
 * date cannot go below 1980 (compress-commons would silently clamp it to 1980-01-01), and one date
 * for both formats keeps them comparable. Zip DOS dates have no time zone: they are written from
 * the UTC fields, and unzip tools read them as local time.
 */
export const ARCHIVE_MTIME = new Date(Date.UTC(2000, 0, 1, 0, 0, 0));

/** Mode of every file entry (`rw-r--r--`), whatever the mode of the input file. */
export const ARCHIVE_FILE_MODE = 0o644;

/** Mode of every folder entry (`rwxr-xr-x`). */
export const ARCHIVE_DIR_MODE = 0o755;

/** Default compression level per format (team decision: zip favours speed, tar.gz size). */
export const DEFAULT_ARCHIVE_LEVELS: Readonly<Record<ArchiveFormat, number>> = { 'tar.gz': 6, zip: 1 };

/**
 * The gzip header OS byte written into every `.tar.gz`: 3 (Unix). zlib writes the OS it was
 * compiled for (3 on Linux, 19 on macOS, 10 on Windows), which would make the same archive differ
 * between machines; the entries use Unix modes and `/` paths, so Unix is the honest value.
 */
export const GZIP_OS_UNIX = 3;
