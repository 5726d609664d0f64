import type { CompiledQuery } from 'kysely';
import type { Connection } from 'mysql2';
import type { SourceConfig } from '@hfit/config';
import { HfitError } from '@hfit/contracts';
import { abortReason, waitForDrain } from '../common/wait-for-drain.js';
import { killMysqlQuery } from './kill-mysql-query.js';
import type { RawRow } from './mysql-insert-encoder.js';
import type { MysqlRowSink } from './mysql-row-sink.js';

/** Output gathered before one write to the destination (few, large writes are cheap). */
const CHUNK_BYTES = 256 * 1024;

/** What {@link pumpMysqlRows} needs besides the query. */
export interface MysqlPumpOptions {
  readonly conn: Connection;
  /** Credentials for the side connection that kills the query when the export fails midway. */
  readonly source: SourceConfig;
  /** `db.table`, for error messages. */
  readonly label: string;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs the row query on the session's connection and feeds every row to `sink`, writing its output
 * to `out` with backpressure: when `out.write` returns false the connection is paused (mysql2 stops
 * reading the socket and holds back already-received packets) until `out` drains, so memory stays
 * at about one output chunk plus one socket buffer whatever the table size.
 *
 * Values come back with `typeCast: false`: every value is the raw bytes the server sent, which is
 * both the fastest mysql2 mode (no per-value decoding) and the most faithful (server text for
 * FLOAT/DOUBLE/JSON/GEOMETRY instead of mysql2's parsed values).
 *
 * On failure (destination error or close, abort, transform error) the query is killed from a side
 * connection, the remaining rows are discarded, and the promise rejects only once the query has
 * ended, so the pinned connection is idle and usable (e.g. for the session's ROLLBACK) afterwards.
 */
export function pumpMysqlRows(query: CompiledQuery, sink: MysqlRowSink, out: NodeJS.WritableStream, opts: MysqlPumpOptions): Promise<number> {
  const { conn, signal } = opts;
  return new Promise<number>((resolve, reject) => {
    let rows = 0;
    let failure: { error: unknown } | undefined;
    let paused = false;
    let queryEnded = false;
    let killing: Promise<void> = Promise.resolve();

    const settle = (error?: unknown) => {
      if (queryEnded) return;
      queryEnded = true;
      detach();
      // Wait for a pending KILL so that it can never hit a statement issued after we return.
      void killing.then(() => {
        if (failure) reject(failure.error);
        else if (error !== undefined) reject(error);
        else resolve(rows);
      });
    };

    const fail = (error: unknown) => {
      if (failure || queryEnded) return;
      failure = { error };
      detach();
      if (conn.threadId !== null) killing = killMysqlQuery(opts.source, conn.threadId);
      // Let the rest of the result flow (and be dropped) so the query can end.
      resume();
    };
    const resume = () => {
      if (!paused) return;
      paused = false;
      conn.resume();
    };

    const onOutError = (err: unknown) => fail(err);
    const onOutClose = () =>
      fail(new HfitError('EXTRACTION_FAILED', `the output of ${opts.label} was closed before all rows were written: keep it open until the export resolves`));
    const onAbort = () => fail(abortReason(signal));
    function detach() {
      out.removeListener('error', onOutError);
      out.removeListener('close', onOutClose);
      signal?.removeEventListener('abort', onAbort);
    }
    out.on('error', onOutError);
    out.on('close', onOutClose);
    signal?.addEventListener('abort', onAbort, { once: true });

    const write = (chunk: Buffer | string | undefined): void => {
      // `out.write` may fail or abort synchronously (its _write runs inline): never pause then.
      if (chunk === undefined || out.write(chunk) || failure) return;
      paused = true;
      conn.pause();
      waitForDrain(out, signal).then(resume, (err: unknown) => {
        fail(err);
        resume();
      });
    };

    const q = conn.query({
      sql: query.sql,
      values: query.parameters.length ? [...query.parameters] : undefined,
      rowsAsArray: true,
      typeCast: false,
    });
    q.on('result', (row: RawRow) => {
      if (failure) return;
      try {
        sink.row(row);
        rows++;
        if (sink.pendingBytes >= CHUNK_BYTES) write(sink.take());
      } catch (err) {
        fail(err);
      }
    });
    q.on('error', (err: Error) =>
      settle(
        new HfitError(
          'EXTRACTION_FAILED',
          `reading rows of ${opts.label} failed: ${err.message} (if the statement timeout was hit, raise rowsTimeoutMs of source "${opts.source.name}" or narrow the filter)`,
          // A lost connection may succeed on retry; an SQL error (bad filter, timeout) will not.
          { cause: err, permanent: !(err as { fatal?: boolean }).fatal },
        ),
      ),
    );
    q.on('end', () => {
      if (!failure && !queryEnded) {
        try {
          sink.end();
          // No pause here: the query is over, and a paused connection would hold up the session's
          // next statement until the caller drained `out`.
          const last = sink.take();
          if (last !== undefined) out.write(last);
        } catch (err) {
          failure = { error: err };
        }
      }
      settle();
    });
  });
}
