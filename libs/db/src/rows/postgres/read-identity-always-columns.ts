import { sql, type Kysely } from 'kysely';
import type { TableInfo } from '../../introspection/table-info.js';

/**
 * Names of the table's `GENERATED ALWAYS AS IDENTITY` columns. An INSERT that writes them needs
 * `OVERRIDING SYSTEM VALUE`; the catalog's ColumnInfo does not carry `attidentity`, so it is read
 * here (constant SQL, names bound as values).
 */
export async function readIdentityAlwaysColumns(db: Kysely<any>, table: TableInfo): Promise<ReadonlySet<string>> {
  const r = await sql<{ name: string }>`SELECT a.attname AS name
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ${table.database} AND c.relname = ${table.name}
      AND a.attnum > 0 AND NOT a.attisdropped AND a.attidentity = 'a'`.execute(db);
  return new Set(r.rows.map((x) => x.name));
}
