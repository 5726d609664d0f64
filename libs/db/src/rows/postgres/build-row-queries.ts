import { sql, type CompiledQuery, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { HfitError } from '@hfit/contracts';
import type { PostgresExportTarget } from './postgres-export-target.js';

/**
 * `SELECT <exported columns> FROM "schema"."table" [WHERE …] [ORDER BY <primary key>] [LIMIT $n]`. Every name
 * comes from the catalog and goes through `sql.id` (which quotes each part, so names holding dots
 * stay whole); the filter is the filter compiler's expression with bound values. Ordering by the
 * primary key makes the output deterministic; tables without one come in the server's scan order.
 */
function selectRows(target: PostgresExportTarget, where: Expression<SqlBool> | undefined, limit?: number): RawBuilder<unknown> {
  const { table } = target;
  const columns = sql.join(target.columns.map((c) => sql.id(c.name)));
  const filter = where === undefined ? sql`` : sql` WHERE ${where}`;
  const order = table.primaryKey.length ? sql` ORDER BY ${sql.join(table.primaryKey.map((k) => sql.id(k)))}` : sql``;
  const cut = limit === undefined ? sql`` : sql` LIMIT ${limit}`;
  return sql`SELECT ${columns} FROM ${sql.id(table.database, table.name)}${filter}${order}${cut}`;
}

/**
 * The SELECT for the cursor path (filtered or limited exports): values, the row limit included,
 * stay bound parameters.
 */
export function buildSelectQuery(db: Kysely<any>, target: PostgresExportTarget, where: Expression<SqlBool> | undefined, limit?: number): CompiledQuery {
  return selectRows(target, where, limit).compile(db);
}

/**
 * `COPY (SELECT …) TO STDOUT` for unfiltered exports. COPY takes no bind parameters, so this text
 * must hold identifiers only; it is checked, not assumed.
 */
export function buildCopyQuery(db: Kysely<any>, target: PostgresExportTarget): string {
  const compiled = sql`COPY (${selectRows(target, undefined)}) TO STDOUT`.compile(db);
  if (compiled.parameters.length)
    throw new HfitError('EXTRACTION_FAILED', 'internal error: the COPY statement would need bound values; COPY only takes constant text');
  return compiled.sql;
}
