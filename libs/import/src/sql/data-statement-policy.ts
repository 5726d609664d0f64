import type { TargetDialect } from '../target/target-dialect.js';

/** SET targets a data file may not touch: server-wide state, identity, and the import's own check switch. */
const FORBIDDEN_SET: Readonly<Record<TargetDialect, ReadonlySet<string>>> = {
  mysql: new Set(['GLOBAL', 'PERSIST', 'PERSIST_ONLY', 'PASSWORD', 'ROLE', 'DEFAULT']),
  postgres: new Set(['ROLE', 'SESSION_REPLICATION_ROLE', 'AUTHORIZATION']),
};
/** Assignments to server-wide variables anywhere in a MySQL SET (`SET a=1, GLOBAL b=2`, `@@GLOBAL.b`). */
const MYSQL_GLOBAL_ASSIGNMENT = /(?:^|,)\s*(?:GLOBAL|PERSIST|PERSIST_ONLY)\s|@@(?:GLOBAL|PERSIST)/i;

/**
 * Why a statement may not run from a table-data file, or undefined when it may. A data file, as
 * hfit (and mysqldump / pg_dump) write them, holds session `SET`s, `INSERT`s and (PostgreSQL)
 * `COPY … FROM STDIN`; anything else (DDL, `COPY … FROM PROGRAM`, server-wide or role `SET`s) is
 * refused, so loading rows can only load rows.
 * @param head the statement's first words ({@link statementHead}, 3 words).
 * @param copy whether the splitter recognised it as `COPY … FROM STDIN`.
 */
export function dataStatementProblem(head: readonly string[], text: string, dialect: TargetDialect, copy: boolean): string | undefined {
  const [first = '', ...rest] = head;
  if (first === 'INSERT') return undefined;
  if (first === 'COPY') return copy ? undefined : 'only COPY … FROM STDIN may appear in a data file';
  if (first === 'SET') {
    const words = rest[0] === 'SESSION' || rest[0] === 'LOCAL' ? rest.slice(1) : rest;
    const target = words[0] ?? '';
    if (FORBIDDEN_SET[dialect].has(target))
      return `SET ${target} is not allowed in a data file`;
    if (dialect === 'mysql' && MYSQL_GLOBAL_ASSIGNMENT.test(text.replace(/^[\s\S]*?\bSET\b/i, ',')))
      return 'server-wide SET is not allowed in a data file';
    return undefined;
  }
  return `a data file may hold only SET, INSERT${dialect === 'postgres' ? ' and COPY … FROM STDIN' : ''} statements, not ${first || 'this statement'}`;
}
