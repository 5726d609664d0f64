import { sql, type Kysely } from 'kysely';

/**
 * Runs `fn` with `search_path` empty, as pg_dump does: `format_type`, `pg_get_expr`,
 * `pg_get_constraintdef` and `pg_get_indexdef` then schema-qualify every name outside pg_catalog,
 * so the DDL means the same wherever it is loaded (the scripts set the same empty path). The
 * setting is transaction-local and the previous value is put back, because the session's
 * connection is shared with the other readers of the build.
 */
export async function withEmptySearchPath<T>(db: Kysely<any>, fn: () => Promise<T>): Promise<T> {
  const r = await sql<{ path: string }>`SELECT current_setting('search_path') AS path`.execute(db);
  const saved = r.rows[0]?.path ?? '';
  await sql`SELECT set_config('search_path', '', true)`.execute(db);
  let failed = false;
  try {
    return await fn();
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    // After a failed statement the transaction is aborted and refuses this too; the first error
    // is the one worth reporting.
    await sql`SELECT set_config('search_path', ${saved}, true)`.execute(db).catch((err: unknown) => {
      if (!failed) throw err;
    });
  }
}
