import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { SourceConfig } from '@hfit/config';
import { HfitError } from '@hfit/contracts';
import type { SourceConnection } from './source-connection.js';

/**
 * Type parsers that return every value as the text PostgreSQL sent. Kysely never converts values;
 * pg's defaults would turn int8/numeric/timestamps into lossy JS values, so hfit reads text and
 * renders it per output format.
 */
export const textTypes: pg.CustomTypesConfig = { getTypeParser: () => (v: string) => v };

/** Connection options every hfit PostgreSQL connection uses. */
export function postgresClientConfig(cfg: SourceConfig, database?: string): pg.ClientConfig {
  return {
    host: cfg.host,
    port: cfg.port ?? 5432,
    user: cfg.user,
    password: cfg.password,
    database: database ?? cfg.database ?? 'postgres',
    types: textTypes,
    connectionTimeoutMillis: 10_000,
    application_name: 'hfit',
  };
}

/** Opens one PostgreSQL connection and wraps it for Kysely (a pool that always yields it). */
export async function openPostgresConnection(cfg: SourceConfig, database?: string): Promise<SourceConnection> {
  const client = new pg.Client(postgresClientConfig(cfg, database));
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    throw new HfitError(
      'SOURCE_UNREACHABLE',
      `cannot connect to source "${cfg.name}" (postgres ${cfg.host}:${cfg.port ?? 5432}): ${(err as Error).message}`,
      { cause: err },
    );
  }
  await client.query(
    "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET bytea_output = 'hex'; SET extra_float_digits = 3; SET client_encoding = 'UTF8'",
  );
  // One pinned connection carrying the session's transaction: release must not give it away.
  const pooled = Object.assign(client, { release: () => undefined }) as unknown as PostgresPoolClient;
  const pool: PostgresPool = {
    options: {},
    connect: async () => pooled,
    end: async () => undefined,
  };
  const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
  const version = (await client.query<{ v: string }>('SELECT version() AS v')).rows[0]?.v ?? '';
  let closed = false;
  return {
    type: 'postgres',
    serverVersion: version,
    isMariaDb: false,
    kysely,
    raw: { type: 'postgres', client },
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy();
      await client.end().catch(() => undefined);
    },
  };
}
