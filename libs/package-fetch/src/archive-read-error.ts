import { isHfitError } from '@hfit/contracts';
import { archiveUnsafe } from './archive-unsafe.js';

/**
 * The error an unpack reports for `e`: hfit's own errors and system errors (the archive cannot be
 * read, the disk is full) as they are; anything else came from a parser (gzip, tar, zip, inflate)
 * and means a corrupt or crafted archive: `ARCHIVE_UNSAFE`.
 */
export function archiveReadError(archive: string, format: string, e: unknown): unknown {
  if (isHfitError(e)) return e;
  if (e instanceof Error && typeof (e as NodeJS.ErrnoException).syscall === 'string') return e;
  const message = e instanceof Error ? e.message : String(e);
  return archiveUnsafe(archive, `it is not a valid ${format} archive (${message})`, e);
}
