import { InsertBatcher } from '../common/insert-batcher.js';
import type { Cell } from '../row-stream-options.js';
import type { PostgresExportTarget } from './postgres-export-target.js';
import { postgresLiteral } from './postgres-literal.js';
import type { PostgresRowRenderer } from './postgres-row-renderer.js';
import { POSTGRES_SCRIPT_HEADER } from './postgres-script-header.js';
import { quotePostgresIdentifier, quotePostgresTable } from './quote-postgres-identifier.js';

/** `INSERT INTO "s"."t" ("a", …) [OVERRIDING SYSTEM VALUE] VALUES` — the start of each statement. */
export function sqlInsertPrefix(target: PostgresExportTarget): string {
  const name = quotePostgresTable(target.table.database, target.table.name);
  const columnList = target.columns.map((c) => quotePostgresIdentifier(c.name)).join(', ');
  return `INSERT INTO ${name} (${columnList})${target.overridingSystemValue ? ' OVERRIDING SYSTEM VALUE' : ''} VALUES`;
}

/**
 * `sql` format: multi-row `INSERT INTO "schema"."table" ("col", …) VALUES (…),(…);` with
 * `batchSize` rows per statement, one row per line (the shared {@link InsertBatcher} layout, as
 * pg_dump's `--rows-per-insert`). Identity ALWAYS columns get `OVERRIDING SYSTEM VALUE` so their
 * values load.
 */
export function createSqlInsertRenderer(target: PostgresExportTarget, batchSize: number): PostgresRowRenderer {
  const kinds = target.kinds;
  const n = kinds.length;
  if (n === 0) {
    // Nothing to write but the row itself: the target fills every column from its defaults.
    const stmt = `INSERT INTO ${quotePostgresTable(target.table.database, target.table.name)} DEFAULT VALUES;\n`;
    return { begin: () => POSTGRES_SCRIPT_HEADER, row: () => stmt, end: () => '' };
  }
  const batcher = new InsertBatcher(sqlInsertPrefix(target), batchSize);
  return {
    begin: () => POSTGRES_SCRIPT_HEADER,
    row(cells: readonly Cell[]): string {
      let s = `(${postgresLiteral(cells[0] ?? null, kinds[0]!)}`;
      for (let i = 1; i < n; i++) s += `, ${postgresLiteral(cells[i] ?? null, kinds[i]!)}`;
      return batcher.row(`${s})`);
    },
    end: () => batcher.end(),
  };
}
