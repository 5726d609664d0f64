import pg from 'pg';
import { connectFailure } from './connect-failure.js';
import type { ImportTarget } from './parse-import-target.js';

/**
 * Connects a pg client to `database` on the target's PostgreSQL server (the target's own database,
 * or `postgres` to create it), as `hfit-import` with a 10 s connect timeout. An error of the idle
 * connection is ignored (the next query reports it); a failed connect becomes {@link connectFailure}.
 */
export async function connectPostgresClient(target: ImportTarget, database: string): Promise<pg.Client> {
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database,
    application_name: 'hfit-import',
    connectionTimeoutMillis: 10_000,
  });
  // A connection lost while idle must not crash the process; the next call reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw connectFailure(target, err);
  }
  return client;
}
