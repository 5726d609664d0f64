import { sql, type Kysely } from 'kysely';
import type { ForeignKeyInfo, Introspector, TableInfo } from './table-info.js';

const SYSTEM_DATABASES = ['information_schema', 'mysql', 'performance_schema', 'sys'];

/** MySQL/MariaDB catalog reader (information_schema). */
export class MysqlIntrospector implements Introspector {
  constructor(private readonly db: Kysely<any>) {}

  async listDatabases(): Promise<string[]> {
    const r = await sql<{ name: string }>`SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME`.execute(this.db);
    return r.rows.map((x) => x.name).filter((n) => !SYSTEM_DATABASES.includes(n.toLowerCase()));
  }

  async listTables(database: string): Promise<string[]> {
    const r = await sql<{ name: string }>`SELECT TABLE_NAME AS name FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = ${database} AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`.execute(this.db);
    return r.rows.map((x) => x.name);
  }

  async describeTable(database: string, table: string): Promise<TableInfo> {
    const cols = await sql<{
      name: string; ordinal: string | number; dataType: string; columnType: string; nullable: string;
      defaultExpr: string | null; extra: string | null;
    }>`SELECT COLUMN_NAME AS name, ORDINAL_POSITION AS ordinal, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType,
        IS_NULLABLE AS nullable, COLUMN_DEFAULT AS defaultExpr, EXTRA AS extra
      FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ${database} AND TABLE_NAME = ${table}
      ORDER BY ORDINAL_POSITION`.execute(this.db);
    const keys = await sql<{
      constraintName: string; column: string; refDatabase: string | null; refTable: string | null; refColumn: string | null;
    }>`SELECT CONSTRAINT_NAME AS constraintName, COLUMN_NAME AS ${sql.id('column')}, REFERENCED_TABLE_SCHEMA AS refDatabase,
        REFERENCED_TABLE_NAME AS refTable, REFERENCED_COLUMN_NAME AS refColumn
      FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ${database} AND TABLE_NAME = ${table}
      ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION`.execute(this.db);
    const fks = new Map<string, { columns: string[]; refDatabase: string; refTable: string; refColumns: string[] }>();
    const primaryKey: string[] = [];
    for (const k of keys.rows) {
      if (k.constraintName === 'PRIMARY') primaryKey.push(k.column);
      else if (k.refTable !== null) {
        const fk = fks.get(k.constraintName) ?? { columns: [], refDatabase: k.refDatabase ?? database, refTable: k.refTable, refColumns: [] };
        fk.columns.push(k.column);
        fk.refColumns.push(k.refColumn ?? '');
        fks.set(k.constraintName, fk);
      }
    }
    const foreignKeys: ForeignKeyInfo[] = [...fks].map(([name, fk]) => ({ name, ...fk }));
    return {
      database,
      name: table,
      columns: cols.rows.map((c) => ({
        name: c.name,
        ordinal: Number(c.ordinal),
        dataType: c.dataType.toLowerCase(),
        columnType: c.columnType,
        nullable: c.nullable === 'YES',
        defaultExpr: c.defaultExpr,
        generated: /\b(VIRTUAL|STORED|PERSISTENT) GENERATED\b/i.test(c.extra ?? ''),
        typeCategory: '',
        typeKind: '',
        typeSchema: '',
      })),
      primaryKey,
      foreignKeys,
    };
  }
}
