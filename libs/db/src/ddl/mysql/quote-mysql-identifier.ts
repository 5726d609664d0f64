/**
 * Quotes a MySQL/MariaDB identifier with backticks, doubling embedded backticks, as
 * `SHOW CREATE TABLE` does with `sql_quote_show_create=1`. Only for text written into scripts;
 * statements sent to the source name identifiers through Kysely `sql.id`.
 */
export function quoteMysqlIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}
