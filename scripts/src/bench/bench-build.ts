import path from 'node:path';
import { parseServerConfig, type LoadedServerConfig } from '@hfit/config';
import { BENCH_DB, BENCH_SERVERS, benchTable } from './bench-tables.js';

/** The local Redis the platform section runs on (the one the tests use), under a unique prefix. */
export const BENCH_REDIS_URL = 'redis://127.0.0.1:6379';

/** Source names the bench template and config use. */
const MYSQL_SOURCE = 'bench_mysql';
const PG_SOURCE = 'bench_pg';

/** Package name of {@link benchTemplate} for `rows`. */
export const benchPackageName = (rows: number): string => `bench_mixed_${rows}`;

/**
 * The template the archive and platform sections build: the whole `rows`-row mixed table of each
 * server, MariaDB as INSERTs and PostgreSQL as COPY text (the formats `mysqldump` and
 * `pg_dump --data-only` write), so the native side dumps exactly the same rows.
 */
export function benchTemplate(rows: number): string {
  const t = benchTable(rows);
  return `hfitVersion: 1
templateName: bench_mixed
packageName: ${benchPackageName(rows)}
exports:
  mariadb.data.sql: { type: table-data, data: { dbms: ${MYSQL_SOURCE}, table: ${BENCH_DB}.${t} } }
  postgres.data.sql: { type: table-data, data: { dbms: ${PG_SOURCE}, table: public.${t}, format: copy } }
`;
}

/** Where a platform run keeps its state. */
export interface BenchPlatformPlace {
  /** Root of the fs object store (staging and published packages). */
  readonly storageRoot: string;
  /** Redis key prefix of this run alone. */
  readonly prefix: string;
}

/**
 * The server config of the bench: the two bench sources, rows per INSERT, and for the platform
 * (given `place`) an fs object store and a Redis prefix; the worker section keeps its defaults (one build and two
 * export jobs at once), which is what a deployed worker runs with.
 */
export function benchServerConfig(batchSize: number, place?: BenchPlatformPlace): LoadedServerConfig {
  const long = { statementTimeoutMs: 3_600_000, rowsTimeoutMs: 3_600_000 };
  const text = JSON.stringify({
    sources: {
      [MYSQL_SOURCE]: { type: 'mysql', ...BENCH_SERVERS.mysql, databases: [BENCH_DB], ...long },
      [PG_SOURCE]: { type: 'postgres', ...BENCH_SERVERS.postgres, database: BENCH_DB, databases: ['public'], ...long },
    },
    extraction: { batchSize },
    // The worker's audit trail (build.finish) goes beside the storage, never into the checkout.
    ...(place ? { storage: { type: 'fs', root: place.storageRoot }, redis: { url: BENCH_REDIS_URL, prefix: place.prefix }, audit: { dir: path.join(path.dirname(place.storageRoot), 'audit') } } : {}),
  });
  return parseServerConfig(text, {}, { path: '(bench config)' });
}
