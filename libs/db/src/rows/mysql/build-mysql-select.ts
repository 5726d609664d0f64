import { sql, type CompiledQuery } from 'kysely';
import type { ColumnInfo } from '../../introspection/table-info.js';
import type { ExtractionSession } from '../../connection/extraction-session.js';
import type { RowStreamOptions } from '../row-stream-options.js';

/**
 * Compiles the row query of an export: the given catalog columns in order, the filter when there
 * is one, ordered by the primary key so that two exports of the same snapshot are byte-identical,
 * cut at `opts.limit` rows when given (a bound parameter).
 * Identifiers come from the catalog (the allow-list) and are quoted by `sql.id`, which, unlike
 * `sql.ref`/`sql.table`, does not split names on dots; filter values stay bound parameters. The table
 * is aliased to its own name so that filters may qualify columns with it.
 */
export function buildMysqlSelect(
  session: ExtractionSession,
  opts: Pick<RowStreamOptions, 'table' | 'where' | 'limit'>,
  columns: readonly ColumnInfo[],
): CompiledQuery {
  const { table } = opts;
  let query = session.connection.kysely
    .selectFrom(sql.id(table.database, table.name).as(table.name))
    .select(columns.map((c) => sql.id(c.name).as(c.name)));
  if (opts.where !== undefined) query = query.where(opts.where);
  for (const key of table.primaryKey) query = query.orderBy(sql.id(key));
  // Kysely binds the row count as a parameter (`limit ?`).
  if (opts.limit !== undefined) query = query.limit(opts.limit);
  return query.compile();
}
