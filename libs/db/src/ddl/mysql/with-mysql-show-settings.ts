import { sql, type Kysely } from 'kysely';
import { withRestoredSetting } from '../../connection/with-restored-setting.js';

/**
 * Runs `fn` with the session settings `SHOW CREATE …` output depends on pinned the way mysqldump pins
 * them: `sql_mode=''` (modes such as ANSI_QUOTES, ORACLE or NO_TABLE_OPTIONS change the printed
 * DDL) and `sql_quote_show_create=1` (always backtick identifiers). The previous values are restored
 * afterwards, because the session's connection is shared with the other readers of the build.
 */
export async function withMysqlShowSettings<T>(db: Kysely<any>, fn: () => Promise<T>): Promise<T> {
  const r = await sql<{ mode: string; quote: string | number }>`SELECT @@SESSION.sql_mode AS mode,
    @@SESSION.sql_quote_show_create AS quote`.execute(db);
  const mode = String(r.rows[0]?.mode ?? '');
  const quote = Number(r.rows[0]?.quote ?? 1);
  return withRestoredSetting(
    async () => {
      if (mode !== '') await sql`SET SESSION sql_mode = ''`.execute(db);
      if (quote !== 1) await sql`SET SESSION sql_quote_show_create = 1`.execute(db);
    },
    async () => {
      if (mode !== '') await sql`SET SESSION sql_mode = ${mode}`.execute(db);
      if (quote !== 1) await sql`SET SESSION sql_quote_show_create = ${quote}`.execute(db);
    },
    fn,
  );
}
