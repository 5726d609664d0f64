import mysql from 'mysql2/promise';
import { HfitError } from '@hfit/contracts';
import { connectFailure } from './connect-failure.js';
import { connectPostgresClient } from './connect-postgres-client.js';
import { mysqlTargetOptions } from './open-mysql-session.js';
import type { ImportTarget } from './parse-import-target.js';

/** SQLSTATE of "database already exists" (another client created it meanwhile). */
const DUPLICATE_DATABASE = '42P04';

/**
 * Creates the target database when it does not exist and resolves with whether it did.
 * MySQL/MariaDB: `CREATE DATABASE IF NOT EXISTS … CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`
 * (the tables of a package carry their own character sets; this only sets the default).
 * PostgreSQL: through a connection to the `postgres` database, `CREATE DATABASE` with the server's
 * defaults, unless `pg_database` already lists it.
 */
export async function ensureTargetDatabase(target: ImportTarget): Promise<boolean> {
  return target.dialect === 'mysql' ? ensureMysqlDatabase(target) : ensurePostgresDatabase(target);
}

async function ensureMysqlDatabase(target: ImportTarget): Promise<boolean> {
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection(mysqlTargetOptions(target, undefined));
  } catch (err) {
    throw connectFailure(target, err);
  }
  conn.on('error', () => undefined);
  try {
    const name = `\`${target.database.replaceAll('`', '``')}\``;
    const [result] = await conn.query(`CREATE DATABASE IF NOT EXISTS ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    return (result as { affectedRows?: number }).affectedRows === 1;
  } catch (err) {
    throw createFailure(target, err);
  } finally {
    await conn.end().catch(() => conn.destroy());
  }
}

async function ensurePostgresDatabase(target: ImportTarget): Promise<boolean> {
  const client = await connectPostgresClient(target, 'postgres');
  try {
    const found = await client.query('SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1', [target.database]);
    if (found.rowCount) return false;
    await client.query(`CREATE DATABASE "${target.database.replaceAll('"', '""')}"`);
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code === DUPLICATE_DATABASE) return false;
    throw createFailure(target, err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function createFailure(target: ImportTarget, err: unknown): HfitError {
  const reason = err instanceof Error ? err.message : String(err);
  return new HfitError('IMPORT_FAILED', `cannot create database "${target.database}" on ${target.display}: ${reason}`, { field: 'target', cause: err });
}
