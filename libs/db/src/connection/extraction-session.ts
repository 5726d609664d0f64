import { sql } from 'kysely';
import type { SourceConfig } from '@hfit/config';
import { Catalog } from '../introspection/catalog.js';
import { openSourceConnection } from './open-source-connection.js';
import { withRestoredSetting } from './with-restored-setting.js';
import type { SourceConnection } from './source-connection.js';

/**
 * A read-only view of one source for the length of a build: one connection, one transaction, one
 * snapshot (MySQL/MariaDB `WITH CONSISTENT SNAPSHOT`, PostgreSQL `REPEATABLE READ`), a statement
 * timeout on every statement, and a catalog whose identifiers are the only ones queries may name.
 */
export interface ExtractionSession {
  readonly source: SourceConfig;
  readonly connection: SourceConnection;
  readonly catalog: Catalog;
  /** `snapshot`: every read of this session sees the same committed state. */
  readonly consistency: 'snapshot';
  /**
   * Runs `fn` with another statement timeout on the session (row streaming uses the source's
   * `rowsTimeoutMs`), restoring the usual one afterwards.
   */
  withStatementTimeout<T>(timeoutMs: number, fn: () => Promise<T>): Promise<T>;
  /** Ends the transaction and closes the connection. Safe to call twice. */
  close(): Promise<void>;
}

/** Opens an {@link ExtractionSession} on a configured source. */
export async function openExtractionSession(source: SourceConfig): Promise<ExtractionSession> {
  const connection = await openSourceConnection(source);
  try {
    await beginReadOnlySnapshot(connection);
    await setStatementTimeout(connection, source.statementTimeoutMs);
  } catch (err) {
    await connection.close();
    throw err;
  }
  const catalog = new Catalog(connection, source);
  let closed = false;
  return {
    source,
    connection,
    catalog,
    consistency: 'snapshot',
    withStatementTimeout(timeoutMs, fn) {
      return withRestoredSetting(
        () => setStatementTimeout(connection, timeoutMs),
        () => setStatementTimeout(connection, source.statementTimeoutMs),
        fn,
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await sql`ROLLBACK`.execute(connection.kysely);
      } catch {
        // The connection may already be gone; closing it is all that is left to do.
      }
      await connection.close();
    },
  };
}

/** Starts the session's read-only snapshot transaction (constant statements). */
async function beginReadOnlySnapshot(c: SourceConnection): Promise<void> {
  const db = c.kysely;
  if (c.type === 'mysql') {
    await sql`SET time_zone = '+00:00'`.execute(db);
    await sql`SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ`.execute(db);
    await sql`START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY`.execute(db);
  } else {
    await sql`BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY`.execute(db);
  }
}

/**
 * Sets the per-statement timeout (a bound value). MariaDB: `max_statement_time` (seconds); MySQL:
 * `max_execution_time` (ms, SELECT only); PostgreSQL: `statement_timeout` local to the transaction.
 */
async function setStatementTimeout(c: SourceConnection, timeoutMs: number): Promise<void> {
  const db = c.kysely;
  if (c.type === 'postgres') await sql`SELECT set_config('statement_timeout', ${String(timeoutMs)}, true)`.execute(db);
  else if (c.isMariaDb) await sql`SET SESSION max_statement_time = ${timeoutMs / 1000}`.execute(db);
  else await sql`SET SESSION max_execution_time = ${timeoutMs}`.execute(db);
}
