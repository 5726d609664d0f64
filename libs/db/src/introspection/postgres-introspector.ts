import { sql, type Kysely } from 'kysely';
import type { ForeignKeyInfo, Introspector, TableInfo } from './table-info.js';

/** PostgreSQL catalog reader (pg_catalog). A "database" here is a schema of the connected database. */
export class PostgresIntrospector implements Introspector {
  constructor(private readonly db: Kysely<any>) {}

  async listDatabases(): Promise<string[]> {
    const r = await sql<{ name: string }>`SELECT nspname AS name FROM pg_namespace
      WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema' ORDER BY nspname`.execute(this.db);
    return r.rows.map((x) => x.name);
  }

  async listTables(database: string): Promise<string[]> {
    const r = await sql<{ name: string }>`SELECT c.relname AS name FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ${database} AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname`.execute(this.db);
    return r.rows.map((x) => x.name);
  }

  async describeTable(database: string, table: string): Promise<TableInfo> {
    const cols = await sql<{
      name: string; ordinal: string; dataType: string; columnType: string; notNull: string; defaultExpr: string | null;
      generated: string; typeCategory: string; typeKind: string; typeSchema: string;
    }>`SELECT a.attname AS name, a.attnum AS ordinal, t.typname AS "dataType",
        format_type(a.atttypid, a.atttypmod) AS "columnType", a.attnotnull AS "notNull",
        pg_get_expr(d.adbin, d.adrelid) AS "defaultExpr", a.attgenerated AS generated,
        t.typcategory AS "typeCategory", t.typtype AS "typeKind", tn.nspname AS "typeSchema"
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_type t ON t.oid = a.atttypid
      JOIN pg_namespace tn ON tn.oid = t.typnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = ${database} AND c.relname = ${table} AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`.execute(this.db);
    const cons = await sql<{ name: string; kind: string; columns: string; refDatabase: string | null; refTable: string | null; refColumns: string | null }>`
      SELECT con.conname AS name, con.contype AS kind,
        array_to_json(ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i))::text AS columns,
        rn.nspname AS "refDatabase", rc.relname AS "refTable",
        array_to_json(ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
          JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i))::text AS "refColumns"
      FROM pg_constraint con
      JOIN pg_class c ON c.oid = con.conrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_class rc ON rc.oid = con.confrelid
      LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
      WHERE n.nspname = ${database} AND c.relname = ${table} AND con.contype IN ('p', 'f')
      ORDER BY con.conname`.execute(this.db);
    let primaryKey: string[] = [];
    const foreignKeys: ForeignKeyInfo[] = [];
    for (const k of cons.rows) {
      const columns = JSON.parse(k.columns) as string[];
      if (k.kind === 'p') primaryKey = columns;
      else
        foreignKeys.push({
          name: k.name,
          columns,
          refDatabase: k.refDatabase ?? database,
          refTable: k.refTable ?? '',
          refColumns: JSON.parse(k.refColumns ?? '[]') as string[],
        });
    }
    return {
      database,
      name: table,
      columns: cols.rows.map((c) => ({
        name: c.name,
        ordinal: Number(c.ordinal),
        dataType: c.dataType,
        columnType: c.columnType,
        nullable: c.notNull !== 't' && c.notNull !== 'true',
        defaultExpr: c.defaultExpr,
        generated: c.generated !== '' && c.generated !== null,
        typeCategory: c.typeCategory,
        typeKind: c.typeKind,
        typeSchema: c.typeSchema,
      })),
      primaryKey,
      foreignKeys,
    };
  }
}
