import { sql, type Kysely } from 'kysely';
import { withRestoredSetting } from '../../connection/with-restored-setting.js';

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
  return withRestoredSetting(
    async () => void (await sql`SELECT set_config('search_path', '', true)`.execute(db)),
    async () => void (await sql`SELECT set_config('search_path', ${saved}, true)`.execute(db)),
    fn,
  );
}
