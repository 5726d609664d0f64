import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { SourceConfig } from '@hfit/config';
import type { SourceType } from '../connection/source-connection.js';

/** Loopback services used by the tests (see README "Services"). */
export const TEST_SERVERS = {
  mysql: { host: '127.0.0.1', port: 3306, user: 'root', password: '' },
  postgres: { host: '127.0.0.1', port: 5432, user: 'postgres', password: '' },
} as const;

/** A throw-away database on a real local server, dropped by {@link ScratchDatabase.drop}. */
export interface ScratchDatabase {
  readonly type: SourceType;
  /** MySQL database / PostgreSQL database name (unique per call). */
  readonly name: string;
  /**
   * A source config reading it. MySQL: `databases` = [name]. PostgreSQL: connects to the scratch
   * database; its schemas are the "databases" templates name.
   */
  readonly source: SourceConfig;
  /** Runs trusted test SQL (several statements allowed) inside the scratch database. */
  exec(sqlText: string): Promise<void>;
  /** Runs one trusted test query and returns its rows. */
  query<T = Record<string, unknown>>(sqlText: string, params?: unknown[]): Promise<T[]>;
  /** Drops the database; safe to call twice. */
  drop(): Promise<void>;
}

/** A test-only source config for a local server. */
export function testSourceConfig(type: SourceType, name = `test_${type}`, extra: Partial<SourceConfig> = {}): SourceConfig {
  return {
    name,
    type,
    ...TEST_SERVERS[type],
    databases: [],
    statementTimeoutMs: 60_000,
    rowsTimeoutMs: 600_000,
    poolSize: 2,
    ...extra,
  };
}

/** Creates a uniquely named database on the local MariaDB or PostgreSQL. */
export async function createScratchDatabase(type: SourceType, prefix = 'hfit_t'): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  return type === 'mysql' ? createMysqlScratch(name) : createPostgresScratch(name);
}

async function createMysqlScratch(name: string): Promise<ScratchDatabase> {
  const admin = await mysql.createConnection({ ...TEST_SERVERS.mysql, multipleStatements: true, charset: 'UTF8MB4_BIN', dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.query(`USE \`${name}\``);
  let dropped = false;
  return {
    type: 'mysql',
    name,
    source: testSourceConfig('mysql', 'test_mysql', { databases: [name] }),
    async exec(sqlText) {
      await admin.query(sqlText);
    },
    async query<T>(sqlText: string, params: unknown[] = []) {
      const [rows] = await admin.query(sqlText, params);
      return rows as T[];
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}

async function createPostgresScratch(name: string): Promise<ScratchDatabase> {
  const root = new pg.Client({ ...TEST_SERVERS.postgres, database: 'postgres' });
  await root.connect();
  await root.query(`CREATE DATABASE "${name}"`);
  await root.end();
  const client = new pg.Client({ ...TEST_SERVERS.postgres, database: name });
  await client.connect();
  let dropped = false;
  return {
    type: 'postgres',
    name,
    source: testSourceConfig('postgres', 'test_postgres', { database: name }),
    async exec(sqlText) {
      await client.query(sqlText);
    },
    async query<T>(sqlText: string, params: unknown[] = []) {
      return (await client.query(sqlText, params)).rows as T[];
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      await client.end();
      const r = new pg.Client({ ...TEST_SERVERS.postgres, database: 'postgres' });
      await r.connect();
      await r.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await r.end();
    },
  };
}
