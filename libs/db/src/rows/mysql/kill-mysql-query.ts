import mysql from 'mysql2';
import type { SourceConfig } from '@hfit/config';
import { mysqlConnectionOptions } from '../../connection/open-mysql-connection.js';

/** Longest wait for the side connection that sends the KILL. */
const KILL_TIMEOUT_MS = 5_000;

/**
 * Best effort: stops the statement running on connection `threadId` (`KILL QUERY`, which a user
 * may send for its own connections) from a short-lived side connection, so an aborted export does
 * not make the server stream the rest of a large table. The victim connection and its transaction
 * stay usable. Resolves in every case (within {@link KILL_TIMEOUT_MS}); failures are ignored because
 * the caller drains the remaining rows anyway.
 */
export function killMysqlQuery(source: SourceConfig, threadId: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const side = mysql.createConnection({ ...mysqlConnectionOptions(source), connectTimeout: KILL_TIMEOUT_MS });
    side.on('error', () => undefined);
    const timer = setTimeout(() => {
      side.destroy();
      resolve();
    }, KILL_TIMEOUT_MS);
    side.query({ sql: 'KILL QUERY ?', values: [threadId] }, () => {
      clearTimeout(timer);
      resolve();
      side.end((err) => {
        if (err) side.destroy();
      });
    });
  });
}
