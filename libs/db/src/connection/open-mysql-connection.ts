import { Kysely, MysqlDialect, type MysqlPool, type MysqlPoolConnection } from 'kysely';
import mysql from 'mysql2';
import type { SourceConfig } from '@hfit/config';
import { HfitError } from '@hfit/contracts';
import type { SourceConnection } from './source-connection.js';

/**
 * Options every hfit MySQL connection uses: values come back as text where JS types would lose
 * fidelity (dates, DECIMAL, BIGINT), the session speaks utf8mb4 and UTC.
 */
export function mysqlConnectionOptions(cfg: SourceConfig, database?: string): mysql.ConnectionOptions {
  return {
    host: cfg.host,
    port: cfg.port ?? 3306,
    user: cfg.user,
    password: cfg.password,
    ...(database === undefined ? {} : { database }),
    charset: 'UTF8MB4_BIN',
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    multipleStatements: false,
    connectTimeout: 10_000,
  };
}

/** Opens one MySQL/MariaDB connection and wraps it for Kysely (a pool that always yields it). */
export async function openMysqlConnection(cfg: SourceConfig, database?: string): Promise<SourceConnection> {
  const conn = mysql.createConnection(mysqlConnectionOptions(cfg, database));
  await new Promise<void>((resolve, reject) =>
    conn.connect((err) =>
      err
        ? reject(
            new HfitError('SOURCE_UNREACHABLE', `cannot connect to source "${cfg.name}" (mysql ${cfg.host}:${cfg.port ?? 3306}): ${err.message}`, {
              cause: err,
            }),
          )
        : resolve(),
    ),
  );
  // An idle error (server gone) must not crash the process; the next query reports it.
  conn.on('error', () => undefined);
  // Kysely returns connections to the pool after each query; this pool has one connection that
  // must stay open (it carries the session's transaction), so release does nothing.
  const pooled = Object.assign(conn, { release: () => undefined }) as unknown as MysqlPoolConnection;
  const pool: MysqlPool = {
    getConnection: (cb) => cb(null, pooled),
    end: (cb) => cb(null),
  };
  const kysely = new Kysely<any>({ dialect: new MysqlDialect({ pool }) });
  const version = await new Promise<string>((resolve, reject) =>
    conn.query({ sql: 'SELECT VERSION() AS v', rowsAsArray: true }, (err, rows) =>
      err ? reject(err) : resolve(String((rows as unknown[][])[0]?.[0] ?? '')),
    ),
  );
  let closed = false;
  return {
    type: 'mysql',
    serverVersion: version,
    isMariaDb: /mariadb/i.test(version),
    kysely,
    raw: { type: 'mysql', conn },
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy();
      await new Promise<void>((resolve) => conn.end(() => resolve()));
    },
  };
}
