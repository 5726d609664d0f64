import mysql from 'mysql2/promise';
import { HfitError } from '@hfit/contracts';
import { connectFailure, sessionSetupFailure } from './connect-failure.js';
import type { ImportTarget } from './parse-import-target.js';
import type { CopyIn, TargetSession, TargetTable } from './target-session.js';

/**
 * Session settings of every MySQL/MariaDB import session, as a mysqldump file sets them:
 * foreign-key checks off (rows of a filtered package may reference rows it does not hold, and
 * tables load in any order), `NO_AUTO_VALUE_ON_ZERO` (an id 0 stays 0; backslash escapes on, which
 * the files' literals need; no strict mode, as the source accepted the values) and UTC (TIMESTAMP
 * values were exported in UTC). They end with the session: it is never handed to anyone else.
 */
const MYSQL_SESSION_SETTINGS = "SET SESSION FOREIGN_KEY_CHECKS = 0, SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO', SESSION time_zone = '+00:00'";

/** Connection options of an import session: utf8mb4, text values, one statement per call. */
export function mysqlTargetOptions(target: ImportTarget, database: string | undefined): mysql.ConnectionOptions {
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    ...(database === undefined ? {} : { database }),
    charset: 'UTF8MB4_UNICODE_CI',
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    multipleStatements: false,
    connectTimeout: 10_000,
  };
}

function affected(result: unknown): number {
  const n = (result as { affectedRows?: unknown } | null)?.affectedRows;
  return typeof n === 'number' ? n : 0;
}

/** Opens an import session on the target database of a MySQL/MariaDB server. */
export async function openMysqlSession(target: ImportTarget): Promise<TargetSession> {
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection(mysqlTargetOptions(target, target.database));
  } catch (err) {
    throw connectFailure(target, err);
  }
  // A connection lost while idle must not crash the process; the next call reports it.
  conn.on('error', () => undefined);
  try {
    await conn.query(MYSQL_SESSION_SETTINGS);
  } catch (err) {
    conn.destroy();
    throw sessionSetupFailure(target, err);
  }
  let closed = false;
  return {
    dialect: 'mysql',
    checksOff: true,
    async run(sql) {
      const [result] = await conn.query(sql);
      return affected(result);
    },
    async runBound(sql, params) {
      const [result] = await conn.execute(sql, params as (string | Buffer | null)[]);
      return affected(result);
    },
    copyIn(): Promise<CopyIn> {
      return Promise.reject(new HfitError('IMPORT_FAILED', 'COPY … FROM STDIN is PostgreSQL syntax and cannot be loaded into MySQL/MariaDB'));
    },
    quoteName: (name) => `\`${name.replaceAll('`', '``')}\``,
    placeholder: () => '?',
    async columnTypes(table: TargetTable) {
      const [rows] = await conn.execute(
        'SELECT COLUMN_NAME AS name, DATA_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
        [table.schema, table.name],
      );
      return new Map((rows as { name: string; type: string }[]).map((r) => [r.name, String(r.type).toLowerCase()]));
    },
    async foreignKeys(tables) {
      const schemas = [...new Set(tables.map((t) => t.schema))];
      if (!schemas.length) return [];
      const [rows] = await conn.execute(
        `SELECT TABLE_SCHEMA AS cs, TABLE_NAME AS ct, REFERENCED_TABLE_SCHEMA AS ps, REFERENCED_TABLE_NAME AS pt
           FROM information_schema.KEY_COLUMN_USAGE
          WHERE REFERENCED_TABLE_NAME IS NOT NULL AND TABLE_SCHEMA IN (${schemas.map(() => '?').join(', ')})`,
        schemas,
      );
      return (rows as { cs: string; ct: string; ps: string; pt: string }[]).map((r): [TargetTable, TargetTable] => [
        { schema: r.cs, name: r.ct },
        { schema: r.ps, name: r.pt },
      ]);
    },
    async close() {
      if (closed) return;
      closed = true;
      await conn.end().catch(() => conn.destroy());
    },
  };
}
