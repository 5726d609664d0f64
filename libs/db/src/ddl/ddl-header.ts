import type { SourceType } from '../connection/source-connection.js';
import type { DdlOption } from './ddl-options.js';

/**
 * The comment lines opening a DDL script (no trailing newline): what it is and how to load it. Nothing volatile (no time,
 * host or version) goes here: the same schema must give the same bytes.
 */
export function ddlHeader(type: SourceType, what: 'table' | 'database', option: DdlOption | undefined): string {
  const load =
    type === 'mysql'
      ? what === 'table'
        ? 'mariadb <database> < <file>   (table names are unqualified: the client picks the database)'
        : 'mariadb < <file>'
      : 'psql -v ON_ERROR_STOP=1 -d <database> -f <file>';
  return [
    `-- hfit ${what} DDL (${type === 'mysql' ? 'MySQL/MariaDB' : 'PostgreSQL'}), option: ${option ?? 'none'}`,
    `-- Load with: ${load}`,
  ].join('\n');
}
