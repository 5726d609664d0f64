/**
 * Removes the `AUTO_INCREMENT=N` table option from `SHOW CREATE TABLE` text: the counter changes
 * with every insert, so keeping it would make the DDL of an unchanged schema differ between exports.
 * Only the table-options line (the one starting with `) ENGINE=`; the server escapes newlines inside
 * comments, so no column line can start that way) is touched, and only the option right after the
 * engine, where the server prints it, so a table COMMENT mentioning `AUTO_INCREMENT=` is kept.
 */
export function stripAutoIncrement(createTable: string): string {
  return createTable
    .split('\n')
    .map((line) => (line.startsWith(') ENGINE=') ? line.replace(/^(\) ENGINE=\S+) AUTO_INCREMENT=\d+/, '$1') : line))
    .join('\n');
}
