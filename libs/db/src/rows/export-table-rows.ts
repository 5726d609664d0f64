import { HfitError } from '@hfit/contracts';
import type { ExtractionSession } from '../connection/extraction-session.js';
import { exportMysqlRows } from './mysql/export-mysql-rows.js';
import { exportPostgresRows } from './postgres/export-postgres-rows.js';
import type { RowStreamOptions, RowStreamResult } from './row-stream-options.js';

/**
 * Writes the rows of `opts.table` (filtered by `opts.where`, transformed by `opts.transforms`) to
 * `out` in `opts.format`, reading in the session's snapshot, and resolves with the row count once
 * everything is written. `out` is never ended: the caller owns it and may write more after.
 * Backpressure from `out` pauses the read; `opts.signal` aborts it (the promise rejects with the
 * signal's reason). `opts.limit` keeps the first rows in primary-key order. Formats: `sql`, `csv`,
 * `ndjson` on both dialects, `copy` on PostgreSQL only.
 */
export function exportTableRows(session: ExtractionSession, opts: RowStreamOptions, out: NodeJS.WritableStream): Promise<RowStreamResult> {
  const { limit } = opts;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0))
    return Promise.reject(
      new HfitError('EXTRACTION_FAILED', `limit must be a whole number of rows, 0 or more, or left out for all rows (got ${String(limit)})`, {
        field: 'limit',
      }),
    );
  // The server counts time spent waiting for a slow `out` against the statement timeout, so the
  // streaming statement runs under the source's (longer) rows timeout.
  return session.withStatementTimeout(session.source.rowsTimeoutMs, () =>
    session.connection.type === 'mysql' ? exportMysqlRows(session, opts, out) : exportPostgresRows(session, opts, out),
  );
}
