import { HfitError } from '@hfit/contracts';
import { sqlParser, type FilterGrammar } from '../connection/sql-parser.js';
import type { SourceType } from '../connection/source-connection.js';
import type { TableRef } from '../introspection/catalog.js';

/** Aggregates a `prepare` query may use: they read only the rows its FROM clauses name. */
const AGGREGATES = new Set(['count', 'sum', 'min', 'max', 'avg', 'group_concat', 'string_agg', 'array_agg', 'bool_and', 'bool_or', 'bit_and', 'bit_or']);

/**
 * Scalar functions a `prepare` query may use: each computes from its arguments only. Anything else
 * (`query_to_xml`, `dblink`, `pg_read_file`, `LOAD_FILE`, user functions…) could read a table the
 * query does not name, so the tables it reads could not be known.
 */
const SCALAR_FUNCTIONS = new Set([
  'lower', 'upper', 'char_length', 'character_length', 'length', 'octet_length', 'abs', 'coalesce', 'ifnull', 'nullif',
  'concat', 'concat_ws', 'substring', 'substr', 'trim', 'ltrim', 'rtrim', 'replace', 'left', 'right', 'lpad', 'rpad',
  'round', 'floor', 'ceil', 'ceiling', 'greatest', 'least', 'year', 'month', 'day', 'date', 'now', 'current_date',
  'current_timestamp', 'date_format', 'to_char', 'to_date', 'md5', 'hex', 'lcase', 'ucase', 'if',
]);

/** The grammars that may read a source's SQL, most specific first (a MySQL-type source may be MariaDB). */
function grammarsOf(type: SourceType): FilterGrammar[] {
  return type === 'postgres' ? ['Postgresql'] : ['MariaDB', 'MySQL'];
}

function undeterminable(label: string, why: string): HfitError {
  return new HfitError('FORBIDDEN', `the tables ${label} reads cannot be determined (${why}): access to them cannot be checked, so it is refused`, { permanent: true });
}

/** Name of a function node of node-sql-parser's AST (`schema.fn` joined with dots), lower-case. */
function functionName(node: Record<string, unknown>): string {
  const name = node['name'];
  if (typeof name === 'string') return name.toLowerCase();
  const n = name as { name?: { value?: unknown }[]; schema?: { value?: unknown } } | undefined;
  const parts = Array.isArray(n?.name) ? n.name.map((p) => String(p.value)) : [];
  if (n?.schema?.value !== undefined) parts.unshift(String(n.schema.value));
  return parts.join('.').toLowerCase();
}

/** Every function and aggregate called anywhere in the AST, and the names its WITH clauses define. */
function walk(node: unknown, found: { functions: Set<string>; aggregates: Set<string>; ctes: Set<string> }): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, found);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (o['type'] === 'function') found.functions.add(functionName(o));
  if (o['type'] === 'aggr_func') found.aggregates.add(functionName(o));
  if (Array.isArray(o['with'])) {
    for (const w of o['with'] as { name?: { value?: unknown } | string }[]) {
      const n = typeof w.name === 'string' ? w.name : w.name?.value;
      if (typeof n === 'string') found.ctes.add(n);
    }
  }
  for (const v of Object.values(o)) walk(v, found);
}

/**
 * The tables a `prepare` query (one SELECT, placeholders `?` or `$n` for its bound values) reads,
 * as `database.table` (PostgreSQL: `schema.table`), read by node-sql-parser without a connection.
 * Refuses with `FORBIDDEN` when they cannot be known for sure: SQL the grammar cannot read, a table
 * without its database (the connection's default would decide), a name the parser reports
 * ambiguously, MySQL executable comments (`/*! … *\/`, run by the server but skipped by a parser),
 * or a function that could read data on its own (only plain scalar functions and aggregates pass).
 */
export function queryTables(text: string, type: SourceType, label = 'the query'): TableRef[] {
  if (type === 'mysql' && /\/\*[M+]?!/.test(text)) throw undeterminable(label, 'it holds a MySQL executable comment /*! … */');
  let parsed: { tableList: string[]; ast: unknown } | undefined;
  let firstError: unknown;
  for (const grammar of grammarsOf(type)) {
    try {
      parsed = (sqlParser(grammar) as unknown as { parse(sql: string, opt: { database: string }): { tableList: string[]; ast: unknown } }).parse(text, { database: grammar });
      break;
    } catch (err) {
      firstError ??= err;
    }
  }
  if (parsed === undefined) throw undeterminable(label, `it is not SQL the parser reads: ${(firstError as Error).message.split('\n')[0]}`);
  const statements = Array.isArray(parsed.ast) ? parsed.ast : [parsed.ast];
  if (statements.length !== 1 || (statements[0] as { type?: string } | null)?.type !== 'select')
    throw undeterminable(label, 'it is not exactly one SELECT statement');
  const found = { functions: new Set<string>(), aggregates: new Set<string>(), ctes: new Set<string>() };
  walk(parsed.ast, found);
  const fn = [...found.functions].find((f) => !SCALAR_FUNCTIONS.has(f));
  if (fn !== undefined) throw undeterminable(label, `it calls ${fn || 'a function'}(), which may read data by itself; allowed: ${[...SCALAR_FUNCTIONS].join(', ')} and aggregates`);
  const agg = [...found.aggregates].find((f) => !AGGREGATES.has(f));
  if (agg !== undefined) throw undeterminable(label, `it calls the aggregate ${agg}()`);
  const tables = new Map<string, TableRef>();
  for (const entry of parsed.tableList) {
    const parts = entry.split('::');
    if (parts.length !== 3) throw undeterminable(label, `the parser reports the table "${entry}" ambiguously`);
    const [kind, database, table] = parts as [string, string, string];
    if (kind !== 'select') throw undeterminable(label, `it ${kind}s "${table}"`);
    if (database === 'null') {
      if (found.ctes.has(table)) continue;
      throw undeterminable(label, `table "${table}" is named without its database: write it as database.table`);
    }
    if (database.includes('.')) throw undeterminable(label, `"${database}.${table}" has more than two parts: write tables as database.table`);
    tables.set(`${database}\u0000${table}`, { database, table });
  }
  return [...tables.values()];
}
