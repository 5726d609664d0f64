import mariadbParser from 'node-sql-parser/build/mariadb.js';
import mysqlParser from 'node-sql-parser/build/mysql.js';
import postgresParser from 'node-sql-parser/build/postgresql.js';
import type { SourceType } from './source-connection.js';

/** Which node-sql-parser grammar reads a source's SQL. */
export type FilterGrammar = 'MariaDB' | 'MySQL' | 'Postgresql';

/** The part of a node-sql-parser `Parser` hfit uses. */
export type SqlParser = { astify(sql: string, opt?: { database?: string }): unknown };

const parsers = new Map<FilterGrammar, SqlParser>();

/** The grammar for a source: MariaDB's for MariaDB servers, MySQL's for MySQL, PostgreSQL's. */
export function filterGrammar(dialect: SourceType, isMariaDb: boolean): FilterGrammar {
  return dialect === 'postgres' ? 'Postgresql' : isMariaDb ? 'MariaDB' : 'MySQL';
}

/** The (cached) parser of a grammar. */
export function sqlParser(grammar: FilterGrammar): SqlParser {
  let p = parsers.get(grammar);
  if (!p) {
    // Per-dialect builds: each is ~300 KB instead of the 2.5 MB all-dialects bundle.
    const mod = grammar === 'MariaDB' ? mariadbParser : grammar === 'MySQL' ? mysqlParser : postgresParser;
    p = new mod.Parser() as SqlParser;
    parsers.set(grammar, p);
  }
  return p;
}
