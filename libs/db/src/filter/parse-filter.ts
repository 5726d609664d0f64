import { sqlParser as parser, type FilterGrammar } from '../connection/sql-parser.js';
import { filterRejected, filterSyntax } from './filter-errors.js';
import type { PreparedFilter } from './prepare-filter-text.js';

/** A node of node-sql-parser's AST, read defensively (its typings do not cover every shape). */
export type SqlAstNode = Record<string, unknown>;

/** Table name of the wrapper statement; any qualifier naming it is still checked against the real table. */
const WRAPPER_TABLE = 'hfit_filter_target';
const WRAPPER = `SELECT * FROM ${WRAPPER_TABLE} WHERE `;

/** What each clause of the wrapper statement is called in rejections. */
const CLAUSE_NAMES: Readonly<Record<string, string>> = {
  with: 'WITH',
  options: 'SELECT options',
  distinct: 'DISTINCT',
  into: 'INTO',
  groupby: 'GROUP BY',
  having: 'HAVING',
  orderby: 'ORDER BY',
  limit: 'LIMIT',
  locking_read: 'FOR UPDATE / LOCK IN SHARE MODE',
  window: 'WINDOW',
  collate: 'COLLATE',
  qualify: 'QUALIFY',
};

/**
 * Parses `SELECT * FROM <wrapper> WHERE <canonical filter>` with node-sql-parser and returns the
 * WHERE expression. The whole text is parsed, and the result must be exactly one SELECT whose only
 * non-empty part besides the wrapper's own `*` and `FROM` is the WHERE clause: anything the filter
 * might have smuggled past the tokenizer (UNION, INTO, GROUP BY, LIMIT, a second statement…) is
 * rejected by name.
 */
export function parseFilterCondition(prepared: PreparedFilter, original: string, grammar: FilterGrammar, field?: string): SqlAstNode {
  let ast: unknown;
  try {
    ast = parser(grammar).astify(WRAPPER + prepared.text, { database: grammar });
  } catch (e) {
    throw syntaxError(e, prepared, original, field);
  }
  if (Array.isArray(ast)) {
    if (ast.length !== 1) throw filterRejected('multiple statements', field, 'a filter is one condition');
    ast = ast[0];
  }
  const stmt = ast as SqlAstNode;
  if (stmt.type !== 'select') throw filterRejected(`a ${String(stmt.type).toUpperCase()} statement`, field);
  if (stmt._next !== undefined || stmt.set_op !== undefined)
    throw filterRejected(String(stmt.set_op ?? 'union').toUpperCase(), field, 'a filter is one condition on one table');
  for (const [key, value] of Object.entries(stmt)) {
    if (key === 'type' || key === 'where' || key === 'loc') continue;
    if (key === 'columns') {
      if (!isWrapperColumns(value)) throw filterRejected('a select list', field);
      continue;
    }
    if (key === 'from') {
      if (!isWrapperFrom(value)) throw filterRejected('FROM (another table or a subquery)', field);
      continue;
    }
    if (!isEmptyClause(value)) throw filterRejected(CLAUSE_NAMES[key] ?? `clause "${key}"`, field);
  }
  const where = stmt.where;
  if (where === null || typeof where !== 'object') throw filterSyntax('no condition found', field);
  return where as SqlAstNode;
}

/** null, {}, [], {type: null}, {position: null}, {seperator: '', value: []} — the parser's "absent". */
function isEmptyClause(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.entries(v).every(([k, x]) => k === 'loc' || k === 'seperator' || isEmptyClause(x));
  return false;
}

function isWrapperColumns(v: unknown): boolean {
  if (!Array.isArray(v) || v.length !== 1) return false;
  const c = v[0] as SqlAstNode;
  const e = c.expr as SqlAstNode | undefined;
  return e?.type === 'column_ref' && e.table === null && e.column === '*' && c.as === null;
}

function isWrapperFrom(v: unknown): boolean {
  if (!Array.isArray(v) || v.length !== 1) return false;
  const f = v[0] as SqlAstNode;
  return f.table === WRAPPER_TABLE && !f.db && !f.schema && !f.as && !f.join && !f.expr && !f.on && !f.using;
}

/** Maps a parser failure back to the user's text (the parser saw the canonical form). */
function syntaxError(e: unknown, prepared: PreparedFilter, original: string, field: string | undefined) {
  const offset = (e as { location?: { start?: { offset?: number } } }).location?.start?.offset;
  if (typeof offset !== 'number') return filterSyntax(`the condition could not be parsed (${(e as Error).message})`, field);
  const canonical = offset - WRAPPER.length;
  let origin = original.length;
  if (canonical < prepared.text.length) {
    // The last piece starting at or before the failure point is the token the parser choked on.
    origin = 0;
    for (const p of prepared.pieces) {
      if (p.canonical > canonical) break;
      origin = p.original;
    }
  }
  const near = original.slice(origin, origin + 24).trim();
  return filterSyntax(
    origin >= original.length ? 'the condition ends too early' : 'unexpected text: check operators, parentheses and quotes',
    field,
    origin + 1,
    near || undefined,
  );
}
