import type { RawBuilder, SqlBool } from 'kysely';
import type { SourceType } from '../connection/source-connection.js';
import type { Catalog } from '../introspection/catalog.js';
import type { TableInfo } from '../introspection/table-info.js';
import { buildFilterExpression } from './build-filter-expression.js';
import { filterSyntax } from './filter-errors.js';
import type { FilterNode } from './filter-node.js';
import { filterGrammar } from '../connection/sql-parser.js';
import { parseFilterCondition } from './parse-filter.js';
import { prepareFilterText } from './prepare-filter-text.js';
import { printFilter } from './print-filter.js';
import { toFilterNode } from './to-filter-node.js';
import { tokenizeFilter } from './tokenize-filter.js';

/** MySQL integer and fixed-point types: compared exactly, not as DOUBLE (see buildFilterExpression). */
const EXACT_NUMERIC_TYPES: ReadonlySet<string> = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'decimal', 'numeric', 'year']);

/** Where a filter applies. */
export interface FilterContext {
  /** The source's dialect; must be the catalog's connection type. */
  readonly dialect: SourceType;
  /** The filtered table, as the session's catalog resolved it. */
  readonly table: TableInfo;
  /** The session's catalog: the filter's columns are looked up here (and nothing else is). */
  readonly catalog: Catalog;
  /** Template field the filter came from (e.g. `exports.rows.data.filter`), for error locations. */
  readonly field?: string;
}

/** A filter checked and rebuilt for one table. */
export interface CompiledFilter {
  /** hfit's own tree of the condition. */
  readonly ast: FilterNode;
  /** The condition as Kysely SQL (bound parameters only): pass it to `.where(…)`. */
  readonly expression: RawBuilder<SqlBool>;
  /** Columns the filter reads, as the catalog spells them, in order of first use. */
  readonly columns: readonly string[];
  /** Normalised, dialect-quoted text of the condition (without WHERE), for audit. */
  readonly text: string;
}

/**
 * Checks a table-data `filter` (`key<34 AND key>12`, optionally starting with `WHERE`) and
 * rebuilds it as parameterised SQL for the table's source.
 *
 * Pipeline: hfit's tokenizer (rejects comments, `;`, variables, casts, parameters, odd
 * characters; decodes string literals per dialect; quotes bare words naming a column, so reserved
 * words such as MariaDB's `key` work unquoted) → node-sql-parser on
 * `SELECT * FROM <wrapper> WHERE <filter>` in the source's grammar (exactly one SELECT whose only
 * clause is the WHERE) → an allow-list walk into {@link FilterNode} (columns of this table only,
 * checked in the catalog; constants; comparisons; AND/OR/NOT; IN lists of constants; BETWEEN;
 * LIKE/ILIKE; IS [NOT] NULL/TRUE/FALSE; + - * /; the functions of {@link FilterFunctionName})
 * → Kysely SQL with every constant bound.
 *
 * Runs no query: only the catalog's cached table description is read.
 *
 * @throws HfitError `FILTER_REJECTED` naming the offending part (`function "sleep"`, `subquery`,
 *   `UNION`, `comment "--"`, `variable @x`, `column "x" of another table "t"`, …),
 *   `FILTER_SYNTAX` with the position for text that is not SQL, `COLUMN_UNKNOWN` for a column the
 *   table does not have. An empty filter is a `FILTER_SYNTAX` error: see {@link compileOptionalFilter}.
 */
export function compileFilter(filter: string, ctx: FilterContext): CompiledFilter {
  const { dialect, table, catalog, field } = ctx;
  if (catalog.connection.type !== dialect)
    throw new Error(`compileFilter: context dialect ${dialect} does not match the catalog's ${catalog.connection.type} connection`);
  const tokens = tokenizeFilter(filter, dialect, field);
  if (tokens.length === 0) throw filterSyntax('the filter is empty', field);
  const prepared = prepareFilterText(tokens, dialect, table, field);
  const where = parseFilterCondition(prepared, filter, filterGrammar(dialect, catalog.connection.isMariaDb), field);
  const ast = toFilterNode(where, { dialect, table, catalog, prepared, field });
  const exactNumeric = new Set(table.columns.filter((c) => EXACT_NUMERIC_TYPES.has(c.dataType)).map((c) => c.name));
  return { ast, expression: buildFilterExpression(ast, dialect, exactNumeric), columns: columnsOf(ast), text: printFilter(ast, dialect) };
}

/**
 * {@link compileFilter} for an optional template field: `undefined`, `null`, or a blank string
 * (whitespace only) mean "every row" and give `undefined`.
 */
export function compileOptionalFilter(filter: string | null | undefined, ctx: FilterContext): CompiledFilter | undefined {
  if (filter === undefined || filter === null || filter.trim() === '') return undefined;
  return compileFilter(filter, ctx);
}

/** Distinct column names of a tree, in order of first appearance. */
function columnsOf(node: FilterNode): string[] {
  const seen = new Set<string>();
  const visit = (n: FilterNode): void => {
    switch (n.kind) {
      case 'column':
        seen.add(n.name);
        return;
      case 'literal':
        return;
      case 'comparison':
      case 'arithmetic':
        visit(n.left);
        visit(n.right);
        return;
      case 'and':
      case 'or':
        n.operands.forEach(visit);
        return;
      case 'not':
      case 'negate':
        visit(n.operand);
        return;
      case 'in':
        visit(n.operand);
        return;
      case 'between':
        [n.operand, n.low, n.high].forEach(visit);
        return;
      case 'like':
        visit(n.operand);
        visit(n.pattern);
        return;
      case 'is':
        visit(n.operand);
        return;
      case 'function':
        n.args.forEach(visit);
        return;
    }
  };
  visit(node);
  return [...seen];
}
