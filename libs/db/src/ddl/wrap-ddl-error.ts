import { HfitError, isHfitError } from '@hfit/contracts';

/**
 * Runs a DDL read, turning driver errors into `EXTRACTION_FAILED` that say what was being read.
 * They are marked retryable (a timeout or a dropped connection may pass); hfit's own errors (unknown
 * names, unsupported objects) pass through unchanged.
 */
export async function wrapDdlError<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isHfitError(err)) throw err;
    throw new HfitError('EXTRACTION_FAILED', `reading the DDL of ${what} failed: ${(err as Error).message ?? String(err)}`, {
      cause: err,
      permanent: false,
    });
  }
}
