import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sessionSetupFailure } from './connect-failure.js';
import { connectPostgresClient } from './connect-postgres-client.js';
import type { ImportTarget } from './parse-import-target.js';
import type { CopyIn, TargetSession, TargetTable } from './target-session.js';

/**
 * Session settings of every PostgreSQL import session, those of hfit's (and pg_dump's) script
 * headers: UTF-8, standard strings, ISO dates and postgres intervals as the values were printed,
 * XML fragments allowed, warnings only.
 */
const POSTGRES_SESSION_SETTINGS = [
  "SET client_encoding = 'UTF8'",
  'SET standard_conforming_strings = on',
  "SET DateStyle = 'ISO, YMD'",
  'SET IntervalStyle = postgres',
  'SET xmloption = content',
  'SET client_min_messages = warning',
].join('; ');

/** SQLSTATE of "permission denied" (`SET session_replication_role` needs superuser or a grant). */
const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * Opens an import session on the target database of a PostgreSQL server. With `disableChecks`,
 * sets `session_replication_role = replica` for the session (as `pg_dump --disable-triggers`
 * does): foreign-key and user triggers do not fire, so rows load in any order and a filtered
 * package's rows may reference rows it does not hold. Without the privilege for it, the session
 * keeps checks on and its `checksOff` is false.
 */
export async function openPostgresSession(target: ImportTarget, disableChecks: boolean): Promise<TargetSession> {
  const client = await connectPostgresClient(target, target.database);
  let checksOff = false;
  try {
    await client.query(POSTGRES_SESSION_SETTINGS);
    if (disableChecks) {
      try {
        await client.query('SET session_replication_role = replica');
        checksOff = true;
      } catch (err) {
        if ((err as { code?: unknown }).code !== INSUFFICIENT_PRIVILEGE) throw err;
      }
    }
  } catch (err) {
    await client.end().catch(() => undefined);
    throw sessionSetupFailure(target, err);
  }
  let closed = false;
  return {
    dialect: 'postgres',
    checksOff,
    async run(sql) {
      const r = (await client.query(sql)) as pg.QueryResult | pg.QueryResult[];
      return Array.isArray(r) ? 0 : (r.rowCount ?? 0);
    },
    async runBound(sql, params) {
      const r = await client.query(sql, params as (string | Buffer | null)[]);
      return r.rowCount ?? 0;
    },
    async copyIn(sql) {
      const stream = client.query(copyFrom(sql));
      let failure: Error | undefined;
      stream.on('error', (err: Error) => {
        failure ??= err;
      });
      const handle: CopyIn = {
        async write(text) {
          if (failure) throw failure;
          if (!stream.write(text)) await once(stream, 'drain');
        },
        async end() {
          if (failure) throw failure;
          stream.end();
          await finished(stream);
          return stream.rowCount;
        },
        async abort(reason) {
          if (!stream.destroyed) stream.destroy(reason);
          await finished(stream).catch(() => undefined);
        },
      };
      return handle;
    },
    quoteName: (name) => `"${name.replaceAll('"', '""')}"`,
    placeholder: (n) => `$${n}`,
    async columnTypes(table: TargetTable) {
      const r = await client.query<{ name: string; type: string }>(
        'SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
        [table.schema, table.name],
      );
      return new Map(r.rows.map((row) => [row.name, row.type.toLowerCase()]));
    },
    async foreignKeys(tables) {
      const schemas = [...new Set(tables.map((t) => t.schema))];
      if (!schemas.length) return [];
      const r = await client.query<{ cs: string; ct: string; ps: string; pt: string }>(
        `SELECT cn.nspname AS cs, c.relname AS ct, pn.nspname AS ps, p.relname AS pt
           FROM pg_catalog.pg_constraint k
           JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
           JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
           JOIN pg_catalog.pg_class p ON p.oid = k.confrelid
           JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
          WHERE k.contype = 'f' AND cn.nspname = ANY($1::text[])`,
        [schemas],
      );
      return r.rows.map((row): [TargetTable, TargetTable] => [{ schema: row.cs, name: row.ct }, { schema: row.ps, name: row.pt }]);
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.end().catch(() => undefined);
    },
  };
}
