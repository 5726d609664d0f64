/**
 * Quotes a name for the SQL text hfit writes into packages (never for SQL sent to the source, which
 * goes through Kysely). Names come from the source's catalog; doubling `"` is all PostgreSQL needs.
 */
export function quotePostgresIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."table"` of a table as the catalog names it. */
export function quotePostgresTable(schema: string, table: string): string {
  return `${quotePostgresIdentifier(schema)}.${quotePostgresIdentifier(table)}`;
}
