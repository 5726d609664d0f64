import type { Socket } from 'node:net';
import type { SourceConfig } from '@hfit/config';
import { openExtractionSession, type ExtractionSession } from '@hfit/db';
import type { ScratchDatabase } from '@hfit/db/testing';
import type { OpenSession } from '../sources/with-source-session.js';

/** One statement a session sent to its server. */
export interface RecordedStatement {
  readonly sql: string;
  readonly values: readonly unknown[];
}

/**
 * Test instrumentation for the `openSession` seam: opens real extraction sessions and records,
 * from then on, every statement sent over each session's driver connection (whatever sends it:
 * Kysely, the row pump, a cursor) and the bytes received from the server. The statements still
 * run on the real server.
 */
export class SessionRecorder {
  readonly sessions: ExtractionSession[] = [];
  readonly statements: RecordedStatement[] = [];
  private received = 0;

  readonly openSession: OpenSession = async (source: SourceConfig) => {
    const session = await openExtractionSession(source);
    this.sessions.push(session);
    const raw = session.connection.raw;
    const target = (raw.type === 'mysql' ? raw.conn : raw.client) as unknown as { query: (...args: unknown[]) => unknown };
    const query = target.query.bind(target);
    target.query = (...args: unknown[]) => {
      this.statements.push(describe(args));
      return query(...args);
    };
    const socket = (raw.type === 'mysql' ? (raw.conn as unknown as { stream: Socket }).stream : (raw.client as unknown as { connection: { stream: Socket } }).connection.stream);
    socket.on('data', (chunk: Buffer) => (this.received += chunk.length));
    return session;
  };

  /** Bytes received from the servers since the sessions opened. */
  get bytesReceived(): number {
    return this.received;
  }
}

function describe(args: unknown[]): RecordedStatement {
  const [first, second] = args;
  if (typeof first === 'string') return { sql: first, values: Array.isArray(second) ? second : [] };
  const q = first as { sql?: unknown; text?: unknown; values?: unknown };
  const sql = typeof q.sql === 'string' ? q.sql : typeof q.text === 'string' ? q.text : '';
  return { sql, values: Array.isArray(q.values) ? q.values : Array.isArray(second) ? second : [] };
}

/** The server's id of a session's connection (MySQL thread id, PostgreSQL backend pid). */
export function connectionId(session: ExtractionSession): number {
  const raw = session.connection.raw;
  const id = raw.type === 'mysql' ? raw.conn.threadId : (raw.client as unknown as { processID: number | null }).processID;
  if (id === null || id === undefined) throw new Error('the session has no server connection id');
  return id;
}

/**
 * Whether the server still has connection `id`, asked from the scratch database's own admin
 * connection. Waits up to `waitMs` for it to go, since a closed client's server thread ends
 * asynchronously.
 */
export async function serverHasConnection(scratch: ScratchDatabase, id: number, waitMs = 3000): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const rows =
      scratch.type === 'mysql'
        ? await scratch.query<{ n: string | number }>('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID = ?', [id])
        : await scratch.query<{ n: string | number }>('SELECT count(*) AS n FROM pg_stat_activity WHERE pid = $1', [id]);
    const alive = Number(rows[0]?.n) > 0;
    if (!alive || Date.now() >= deadline) return alive;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
