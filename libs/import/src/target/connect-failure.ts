import { HfitError } from '@hfit/contracts';
import type { ImportTarget } from './parse-import-target.js';

/** Server error codes for "no such database": MySQL/MariaDB `ER_BAD_DB_ERROR`, PostgreSQL `3D000`. */
const UNKNOWN_DATABASE = new Set(['ER_BAD_DB_ERROR', '3D000']);

/**
 * The error a failed connection to the target becomes: `IMPORT_TARGET_INVALID` when the database
 * does not exist (with the way to have it created), else `IMPORT_FAILED` with the driver's reason.
 * Names the target by its redacted URL only.
 */
export function connectFailure(target: ImportTarget, err: unknown): HfitError {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNKNOWN_DATABASE.has(code))
    return new HfitError(
      'IMPORT_TARGET_INVALID',
      `database "${target.database}" does not exist on ${target.display}: create it, or let the import create it (createDatabase, hfit import --create-database)`,
      { field: 'target', cause: err },
    );
  const reason = err instanceof Error ? err.message : String(err);
  return new HfitError('IMPORT_FAILED', `cannot connect to the target ${target.display}: ${reason}`, { field: 'target', cause: err });
}

/** The error a session becomes when the settings every import session needs cannot be applied. */
export function sessionSetupFailure(target: ImportTarget, err: unknown): HfitError {
  const reason = err instanceof Error ? err.message : String(err);
  return new HfitError('IMPORT_FAILED', `cannot prepare an import session on ${target.display}: ${reason}`, { field: 'target', cause: err });
}
