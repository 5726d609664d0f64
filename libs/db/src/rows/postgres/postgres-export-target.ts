import type { Kysely } from 'kysely';
import type { ColumnInfo, TableInfo } from '../../introspection/table-info.js';
import { postgresValueKind, type PostgresValueKind } from './postgres-value-kind.js';
import { readIdentityAlwaysColumns } from './read-identity-always-columns.js';

/** What one PostgreSQL row export reads and writes: the catalog's columns, minus generated ones. */
export interface PostgresExportTarget {
  readonly table: TableInfo;
  /** Exported columns in ordinal order (generated columns are recomputed by the target: skipped). */
  readonly columns: readonly ColumnInfo[];
  /** Rendering kind per exported column, same order. */
  readonly kinds: readonly PostgresValueKind[];
  /** Some exported column is `GENERATED ALWAYS AS IDENTITY`: INSERTs need `OVERRIDING SYSTEM VALUE`. */
  readonly overridingSystemValue: boolean;
}

/** Plans the export of one table whose description came from the session's catalog. */
export async function planPostgresExport(db: Kysely<any>, table: TableInfo): Promise<PostgresExportTarget> {
  const columns = [...table.columns].filter((c) => !c.generated).sort((a, b) => a.ordinal - b.ordinal);
  const identity = await readIdentityAlwaysColumns(db, table);
  return {
    table,
    columns,
    kinds: columns.map(postgresValueKind),
    overridingSystemValue: columns.some((c) => identity.has(c.name)),
  };
}
