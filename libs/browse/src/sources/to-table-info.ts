import type { TableColumn, TableInfo } from '@hfit/contracts';
import type { ColumnInfo, TableInfo as CatalogTable } from '@hfit/db';

/** The API form of a catalog column. */
export function toTableColumn(c: ColumnInfo): TableColumn {
  return { name: c.name, type: c.columnType, nullable: c.nullable };
}

/** The API form of a catalog table. */
export function toTableInfo(t: CatalogTable): TableInfo {
  return {
    name: t.name,
    columns: [...t.columns].sort((a, b) => a.ordinal - b.ordinal).map(toTableColumn),
    primaryKey: [...t.primaryKey],
    foreignKeys: t.foreignKeys.map((fk) => ({
      name: fk.name,
      columns: [...fk.columns],
      refDatabase: fk.refDatabase,
      refTable: fk.refTable,
      refColumns: [...fk.refColumns],
    })),
  };
}
