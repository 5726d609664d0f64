import type { SourceType } from '../connection/source-connection.js';
import type { TableInfo } from '../introspection/table-info.js';
import { filterRejected, filterSyntax } from './filter-errors.js';
import type { FilterToken } from './tokenize-filter.js';

/** A constant the user wrote, replaced in the parser's text by the placeholder `'<index>'`. */
export type PreparedLiteral = { readonly kind: 'string'; readonly value: string } | { readonly kind: 'number'; readonly text: string };

/** An identifier the user wrote, replaced in the parser's text by the quoted placeholder `#<index>`. */
export interface PreparedIdentifier {
  /** Name as the server would read it (PostgreSQL: unquoted names folded to lower case). */
  readonly name: string;
  readonly quoted: boolean;
  /** Offset in the filter text, for messages. */
  readonly start: number;
}

/**
 * The filter rewritten for node-sql-parser. Every constant became `'<n>'` and every identifier
 * that names a column (or qualifies one) became `` `#<n>` `` / `"#<n>"`, so the parser never has
 * to understand dialect string escapes or reserved words used as column names (`key` in MariaDB),
 * and the values and names hfit binds are the ones hfit's own tokenizer read.
 */
export interface PreparedFilter {
  /** The condition in canonical form (no leading WHERE). */
  readonly text: string;
  readonly literals: readonly PreparedLiteral[];
  readonly identifiers: readonly PreparedIdentifier[];
  /** Start of each canonical piece and of the token it came from, ascending, for error positions. */
  readonly pieces: readonly { readonly canonical: number; readonly original: number }[];
}

/** Words of the filter grammar; never taken for a column even when a column has that name. */
const FILTER_KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'ILIKE', 'BETWEEN', 'TRUE', 'FALSE', 'ESCAPE']);

const STATEMENT_WORDS = [
  'DROP', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'CREATE', 'ALTER', 'TRUNCATE', 'GRANT', 'REVOKE', 'COPY', 'SET',
  'CALL', 'DO', 'EXEC', 'EXECUTE', 'PREPARE', 'DEALLOCATE', 'HANDLER', 'LOAD', 'SHOW', 'EXPLAIN', 'DESCRIBE', 'USE',
  'KILL', 'SHUTDOWN', 'BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'VACUUM', 'ANALYZE', 'ANALYSE',
  'LISTEN', 'NOTIFY', 'UNLISTEN', 'DECLARE', 'FLUSH', 'RESET', 'PURGE', 'RENAME', 'OPTIMIZE', 'REPAIR', 'INSTALL',
  'UNINSTALL', 'IMPORT', 'SIGNAL', 'RESIGNAL', 'CHECKPOINT', 'CLUSTER', 'REINDEX', 'REFRESH', 'SECURITY',
];

/** SQL "functions without parentheses" (PostgreSQL value keywords, MySQL niladic functions). */
const NILADIC_FUNCTIONS = [
  'CURRENT_USER', 'SESSION_USER', 'USER', 'SYSTEM_USER', 'CURRENT_ROLE', 'CURRENT_SCHEMA', 'CURRENT_CATALOG',
  'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'LOCALTIME', 'LOCALTIMESTAMP', 'UTC_DATE', 'UTC_TIME', 'UTC_TIMESTAMP',
];

/**
 * Words that start clauses or constructs a filter must not contain, with the name the rejection
 * uses. Checked on the token stream so the message is precise even where the parser would only
 * report "syntax error" (PROCEDURE ANALYSE, LOCK IN SHARE MODE, FOR UPDATE on PostgreSQL…). A
 * bare word that names a column of the table is that column, not one of these.
 */
const REJECTED_WORDS: ReadonlyMap<string, string> = new Map([
  ['SELECT', 'subquery (SELECT)'],
  ['UNION', 'UNION'],
  ['INTERSECT', 'INTERSECT'],
  ['EXCEPT', 'EXCEPT'],
  ['MINUS', 'MINUS'],
  ['INTO', 'INTO'],
  ['OUTFILE', 'INTO OUTFILE'],
  ['DUMPFILE', 'INTO DUMPFILE'],
  ['FROM', 'FROM (another table or a subquery)'],
  ['WHERE', 'a second WHERE'],
  ['JOIN', 'JOIN'],
  ['GROUP', 'GROUP BY'],
  ['HAVING', 'HAVING'],
  ['ORDER', 'ORDER BY'],
  ['LIMIT', 'LIMIT'],
  ['OFFSET', 'OFFSET'],
  ['FETCH', 'FETCH'],
  ['WINDOW', 'WINDOW'],
  ['OVER', 'window function (OVER)'],
  ['PARTITION', 'PARTITION'],
  ['PROCEDURE', 'PROCEDURE'],
  ['FOR', 'FOR UPDATE/FOR SHARE'],
  ['LOCK', 'LOCK IN SHARE MODE'],
  ['EXISTS', 'EXISTS (subquery)'],
  ['ANY', 'ANY (subquery)'],
  ['SOME', 'SOME (subquery)'],
  ['ALL', 'ALL (subquery)'],
  ['CASE', 'CASE expression'],
  ['WHEN', 'CASE expression'],
  ['THEN', 'CASE expression'],
  ['ELSE', 'CASE expression'],
  ['END', 'CASE expression'],
  ['WITH', 'WITH'],
  ['RETURNING', 'RETURNING'],
  ['VALUES', 'VALUES'],
  ['TABLE', 'TABLE'],
  ['ROW', 'ROW constructor'],
  ['ARRAY', 'ARRAY'],
  ['INTERVAL', 'INTERVAL'],
  ['COLLATE', 'COLLATE'],
  ['BINARY', 'BINARY'],
  ['CAST', 'cast'],
  ['CONVERT', 'CONVERT'],
  ['REGEXP', 'operator REGEXP'],
  ['RLIKE', 'operator RLIKE'],
  ['SIMILAR', 'SIMILAR TO'],
  ['SOUNDS', 'SOUNDS LIKE'],
  ['MATCH', 'MATCH … AGAINST'],
  ['AGAINST', 'MATCH … AGAINST'],
  ['DIV', 'operator DIV'],
  ['MOD', 'operator MOD'],
  ['XOR', 'operator XOR'],
  ['DISTINCT', 'DISTINCT'],
  ...STATEMENT_WORDS.map((w): [string, string] => [w, `statement keyword "${w}"`]),
  ...NILADIC_FUNCTIONS.map((w): [string, string] => [w, `function "${w.toLowerCase()}"`]),
]);

/**
 * Turns the token stream into the canonical text node-sql-parser reads, rejecting words that
 * start clauses a filter must not have. `WHERE` at the start is dropped.
 */
export function prepareFilterText(input: readonly FilterToken[], dialect: SourceType, table: TableInfo, field?: string): PreparedFilter {
  let tokens = input;
  const first = tokens[0];
  if (first?.kind === 'word' && first.text.toUpperCase() === 'WHERE') {
    tokens = tokens.slice(1);
    if (tokens.length === 0) throw filterSyntax('WHERE is not followed by a condition', field, first.end + 1);
  }
  const literals: PreparedLiteral[] = [];
  const identifiers: PreparedIdentifier[] = [];
  const pieces: { canonical: number; original: number }[] = [];
  const fold = (w: string) => (dialect === 'postgres' ? w.toLowerCase() : w);
  const isColumn =
    dialect === 'mysql'
      ? (w: string) => table.columns.some((c) => c.name.toLowerCase() === w.toLowerCase())
      : (w: string) => table.columns.some((c) => c.name === w.toLowerCase());
  const quote = (n: number) => (dialect === 'mysql' ? `\`#${n}\`` : `"#${n}"`);
  const ident = (name: string, quoted: boolean, start: number) => quote(identifiers.push({ name, quoted, start }) - 1);

  let text = '';
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const isSym = (x: FilterToken | undefined, s: string) => x?.kind === 'symbol' && x.text === s;
    let piece: string;
    switch (t.kind) {
      case 'string':
        // MySQL reads "key" as a string (unless ANSI_QUOTES): a filter written for PostgreSQL
        // would then compare a constant and quietly select every row or none.
        if (dialect === 'mysql' && t.quote === '"' && isColumn(t.value))
          throw filterRejected(
            `"${t.value}" (a string in MySQL, not the column)`,
            field,
            `write \`${t.value}\` for the column or '${t.value}' for the string`,
          );
        piece = `'${literals.push({ kind: 'string', value: t.value }) - 1}'`;
        break;
      case 'number':
        piece = `'${literals.push({ kind: 'number', text: t.text }) - 1}'`;
        break;
      case 'symbol':
        piece = t.text;
        break;
      case 'identifier':
        if (isSym(next, '('))
          throw filterRejected(`quoted function name "${t.name}" (at character ${t.start + 1})`, field, 'write function names unquoted');
        piece = ident(t.name, true, t.start);
        break;
      case 'word': {
        const upper = t.text.toUpperCase();
        if (isSym(next, '(')) {
          if (isSym(prev, '.')) {
            const owner = tokens[i - 2];
            const ownerName = owner?.kind === 'word' ? owner.text : owner?.kind === 'identifier' ? owner.name : '?';
            throw filterRejected(`function "${ownerName}.${t.text}"`.toLowerCase(), field);
          }
          // replace(), insert(), left()… are functions, not statements: the allow-list names them.
          const named = STATEMENT_WORDS.includes(upper) ? undefined : REJECTED_WORDS.get(upper);
          if (named !== undefined) throw filterRejected(named, field);
          piece = t.text;
          break;
        }
        if (isSym(prev, '.') || isSym(next, '.')) {
          piece = ident(fold(t.text), false, t.start);
          break;
        }
        if (FILTER_KEYWORDS.has(upper)) {
          if (upper === 'ILIKE' && dialect === 'mysql')
            throw filterRejected('ILIKE (PostgreSQL only)', field, 'on MySQL/MariaDB LIKE already ignores case under the usual _ci collations');
          piece = upper;
          break;
        }
        if ((upper === 'DATE' || upper === 'TIMESTAMP') && next?.kind === 'string') {
          piece = upper;
          break;
        }
        if (isColumn(t.text)) {
          piece = ident(fold(t.text), false, t.start);
          break;
        }
        const named = REJECTED_WORDS.get(upper);
        if (named !== undefined) throw filterRejected(named, field);
        piece = t.text;
        break;
      }
    }
    // No blanks around "." (qualified names) or between a function name and "(".
    const glue = text === '' || isSym(t, '.') || isSym(prev, '.') || (isSym(t, '(') && prev?.kind === 'word' && !FILTER_KEYWORDS.has(prev.text.toUpperCase()));
    if (!glue) text += ' ';
    pieces.push({ canonical: text.length, original: t.start });
    text += piece;
  });
  return { text, literals, identifiers, pieces };
}
