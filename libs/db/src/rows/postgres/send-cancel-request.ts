import { connect } from 'node:net';
import type { Client } from 'pg';

/** PostgreSQL protocol constant of a CancelRequest message (1234 << 16 | 5678). */
const CANCEL_REQUEST_CODE = 80877102;

/**
 * Asks the server to cancel whatever the client's backend is running, the way psql does on Ctrl-C:
 * a CancelRequest on a fresh socket carrying the backend's process id and secret key. pg's own
 * `Client#cancel` needs the deprecated `activeQuery` (pg 8) and a throw-away Client; this is the
 * same 16-byte message without either.
 *
 * Used only when an export is aborted while a COPY or cursor fetch is streaming: the connection
 * cannot accept anything else until the server stops sending, and the cancel makes it stop now
 * instead of after the last row. Best effort: failures are ignored (the server then finishes on its
 * own and the caller drains the rest). The cancel acts on whatever the backend runs when it arrives,
 * which is why it is only sent for an aborted export whose session is about to be closed.
 */
export function sendCancelRequest(client: Client): Promise<void> {
  const { processID, secretKey } = client as unknown as { processID: number | null; secretKey: number | null };
  if (processID === null || secretKey === null || processID === undefined || secretKey === undefined) return Promise.resolve();
  const message = Buffer.alloc(16);
  message.writeInt32BE(16, 0);
  message.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  message.writeInt32BE(processID, 8);
  message.writeInt32BE(secretKey, 12);
  return new Promise((resolve) => {
    const socket = connect({ host: client.host, port: client.port }, () => socket.end(message));
    socket.setTimeout(5_000, () => socket.destroy());
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
  });
}
