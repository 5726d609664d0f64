import type { CompiledQuery } from 'kysely';
import type { Client } from 'pg';
import Cursor from 'pg-cursor';
import { textTypes } from '../../connection/open-postgres-connection.js';
import type { Cell } from '../row-stream-options.js';
import { sendCancelRequest } from './send-cancel-request.js';

/**
 * Streams a compiled SELECT through a pg-cursor portal, `fetchRows` rows per round trip, each row an
 * array of the server's text values (`types: textTypes` — a Cursor does not inherit the client's
 * type parsers). `onRows` may keep the rows; the next fetch waits for its promise.
 *
 * On abort a fetch in flight is cancelled server-side; between fetches the portal is closed, so the
 * connection is left ready for the session's ROLLBACK either way. A failed fetch needs no close:
 * pg keeps the cursor active until the server's ReadyForQuery and queues later queries behind it.
 */
export async function streamCursorRows(
  client: Client,
  query: CompiledQuery,
  fetchRows: number,
  onRows: (rows: Cell[][]) => Promise<void> | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  const cursor = client.query(new Cursor<Cell[]>(query.sql, [...query.parameters], { rowMode: 'array', types: textTypes }));
  let fetching = false;
  let portalOpen = true;
  const onAbort = () => {
    if (fetching) void sendCancelRequest(client);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      signal?.throwIfAborted();
      let rows: Cell[][];
      fetching = true;
      try {
        rows = await cursor.read(fetchRows);
      } catch (err) {
        portalOpen = false;
        if (signal?.aborted) throw signal.reason;
        throw err;
      } finally {
        fetching = false;
      }
      if (rows.length === 0) break;
      const pending = onRows(rows);
      if (pending) await pending;
    }
    portalOpen = false;
    await cursor.close();
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (portalOpen) await cursor.close().catch(() => undefined);
  }
}
