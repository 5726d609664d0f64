/** Limits of an unpack, which stop a decompression bomb before it fills the disk. */
export interface UnpackLimits {
  /** Most bytes of all files together, as declared by the entry headers and as written. */
  readonly maxTotalBytes: number;
  /** Most entries (files and folders). */
  readonly maxEntries: number;
}

/**
 * Defaults of {@link UnpackLimits}: 100 GiB and one million entries, far above what a package for
 * a laptop holds, far below what a bomb declares.
 */
export const DEFAULT_UNPACK_LIMITS: UnpackLimits = { maxTotalBytes: 100 * 1024 ** 3, maxEntries: 1_000_000 };
