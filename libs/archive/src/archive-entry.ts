/** Archive formats {@link writeDeterministicArchive} writes. */
export const ArchiveFormats = ['tar.gz', 'zip'] as const;

/** One of {@link ArchiveFormats}. */
export type ArchiveFormat = (typeof ArchiveFormats)[number];

/**
 * A file on local disk to put into the archive. Only its bytes are used: its mtime, mode and owner
 * never reach the archive, so a spooled temp file gives the same archive as the original would.
 * It is read as a stream, so it may be larger than memory.
 */
export interface ArchiveFileEntry {
  /** Relative, `/`-separated path inside the top folder, e.g. `data/orders.sql`. */
  readonly path: string;
  /** Local file path to read the bytes from (a regular file, or a symlink to one). */
  readonly file: string;
}

/** Small in-memory bytes to put into the archive, such as `METADATA/manifest.json`. */
export interface ArchiveContentEntry {
  /** Relative, `/`-separated path inside the top folder. */
  readonly path: string;
  readonly content: Uint8Array;
}

/** One file of an archive: bytes from a local file or from memory. */
export type ArchiveEntry = ArchiveFileEntry | ArchiveContentEntry;
