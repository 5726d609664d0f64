import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { SourceType } from '../connection/source-connection.js';
import type { FilterNode, LiteralNode } from './filter-node.js';

const INT4_MAX = 2n ** 31n;
const INT8_MAX = 2n ** 63n;

/**
 * Rebuilds a {@link FilterNode} as Kysely SQL for the source's dialect. Columns go through
 * `sql.id` (the names were checked against the catalog), every constant is a bound parameter, and
 * operators, keywords and function names come from the fixed templates below — no text of the
 * filter ever reaches the SQL string. Every compound expression is parenthesised, so the
 * grouping is the tree's, not the server's precedence rules.
 */
export function buildFilterExpression(node: FilterNode, dialect: SourceType, exactNumericColumns: ReadonlySet<string> = new Set()): RawBuilder<SqlBool> {
  return sql<SqlBool>`${build(node, dialect, exactNumericColumns)}`;
}

const NUMERIC_TEXT = /^-?[0-9]+(\.[0-9]+)?$/;

function build(n: FilterNode, d: SourceType, numericColumns: ReadonlySet<string>): RawBuilder<unknown> {
  const b = (x: FilterNode) => build(x, d, numericColumns);
  /**
   * `x` compared with `peer`: on MySQL a string literal holding a number, compared with an exact
   * numeric column, is sent as that number. MySQL documents string-vs-number comparison as DOUBLE,
   * so `big_id = '9007199254740993'` (what a prepare variable becomes) could also match ...992.
   * (MariaDB 10.11, where the tests run, compares these exactly either way; this guards MySQL.)
   * PostgreSQL gives an untyped parameter the column's type already.
   */
  const against = (x: FilterNode, peer: FilterNode): RawBuilder<unknown> =>
    d === 'mysql' && x.kind === 'literal' && x.type === 'string' && NUMERIC_TEXT.test(x.value) && peer.kind === 'column' && numericColumns.has(peer.name)
      ? number(x.value, d)
      : b(x);
  switch (n.kind) {
    case 'column':
      return sql.id(n.name);
    case 'literal':
      return literal(n, d);
    case 'comparison': {
      const [l, r] = [against(n.left, n.right), against(n.right, n.left)];
      switch (n.operator) {
        case '=':
          return sql`(${l} = ${r})`;
        case '<>':
          return sql`(${l} <> ${r})`;
        case '<':
          return sql`(${l} < ${r})`;
        case '<=':
          return sql`(${l} <= ${r})`;
        case '>':
          return sql`(${l} > ${r})`;
        case '>=':
          return sql`(${l} >= ${r})`;
      }
      break;
    }
    case 'and':
      return sql`(${sql.join(n.operands.map(b), sql` AND `)})`;
    case 'or':
      return sql`(${sql.join(n.operands.map(b), sql` OR `)})`;
    case 'not':
      return sql`(NOT ${b(n.operand)})`;
    case 'in': {
      const values = sql.join(n.values.map((v) => against(v, n.operand)));
      return n.negated ? sql`(${b(n.operand)} NOT IN (${values}))` : sql`(${b(n.operand)} IN (${values}))`;
    }
    case 'between': {
      const [low, high] = [against(n.low, n.operand), against(n.high, n.operand)];
      return n.negated ? sql`(${b(n.operand)} NOT BETWEEN ${low} AND ${high})` : sql`(${b(n.operand)} BETWEEN ${low} AND ${high})`;
    }
    case 'like': {
      const op = n.caseInsensitive ? (n.negated ? sql`NOT ILIKE` : sql`ILIKE`) : n.negated ? sql`NOT LIKE` : sql`LIKE`;
      return n.escape === undefined
        ? sql`(${b(n.operand)} ${op} ${b(n.pattern)})`
        : sql`(${b(n.operand)} ${op} ${b(n.pattern)} ESCAPE ${n.escape})`;
    }
    case 'is': {
      const what = n.value === null ? sql`NULL` : n.value ? sql`TRUE` : sql`FALSE`;
      return n.negated ? sql`(${b(n.operand)} IS NOT ${what})` : sql`(${b(n.operand)} IS ${what})`;
    }
    case 'arithmetic': {
      const [l, r] = [b(n.left), b(n.right)];
      switch (n.operator) {
        case '+':
          return sql`(${l} + ${r})`;
        case '-':
          return sql`(${l} - ${r})`;
        case '*':
          return sql`(${l} * ${r})`;
        case '/':
          return sql`(${l} / ${r})`;
      }
      break;
    }
    case 'negate':
      // The blank keeps "-" apart from what follows: "--" would start a comment.
      return sql`(- ${b(n.operand)})`;
    case 'function':
      return call(n.name, n.args.map(b), d);
  }
  throw new Error(`unreachable filter node ${JSON.stringify(n)}`);
}

function call(name: string, args: RawBuilder<unknown>[], d: SourceType): RawBuilder<unknown> {
  const [a] = args;
  switch (name) {
    case 'lower':
      return sql`lower(${a})`;
    case 'upper':
      return sql`upper(${a})`;
    case 'char_length':
      return sql`char_length(${a})`;
    case 'length':
      return sql`length(${a})`;
    case 'abs':
      return sql`abs(${a})`;
    case 'coalesce':
      return sql`coalesce(${sql.join(args)})`;
    // PostgreSQL has no year()/month()/day()/date(): same results through EXTRACT and CAST.
    case 'year':
      return d === 'mysql' ? sql`year(${a})` : sql`CAST(EXTRACT(YEAR FROM ${a}) AS integer)`;
    case 'month':
      return d === 'mysql' ? sql`month(${a})` : sql`CAST(EXTRACT(MONTH FROM ${a}) AS integer)`;
    case 'day':
      return d === 'mysql' ? sql`dayofmonth(${a})` : sql`CAST(EXTRACT(DAY FROM ${a}) AS integer)`;
    case 'date':
      return d === 'mysql' ? sql`date(${a})` : sql`CAST(${a} AS date)`;
  }
  throw new Error(`unreachable filter function ${name}`);
}

/**
 * Constants as bound parameters, typed so the server compares them as the literal would have been
 * compared: PostgreSQL infers an untyped parameter's type from its context (`'10' > '9'` would
 * compare text), so numbers get the type PostgreSQL gives the same literal (integer, bigint or
 * numeric); MySQL gets safe integers and floats as numbers and exact decimals/big integers as
 * `CAST(? AS DECIMAL(65,30))`, because mysql2 would send them as strings and MySQL compares a
 * string with a number as a double. TRUE/FALSE/NULL are keywords (fixed text, no user input).
 */
function literal(n: LiteralNode, d: SourceType): RawBuilder<unknown> {
  switch (n.type) {
    case 'null':
      return sql`NULL`;
    case 'boolean':
      return n.value ? sql`TRUE` : sql`FALSE`;
    case 'string':
      return sql`${n.value}`;
    case 'date':
      return sql`CAST(${n.value} AS DATE)`;
    case 'timestamp':
      return d === 'mysql' ? sql`CAST(${n.value} AS DATETIME(6))` : sql`CAST(${n.value} AS timestamp)`;
    case 'number':
      return number(n.value, d);
  }
}

function number(text: string, d: SourceType): RawBuilder<unknown> {
  const integer = /^-?[0-9]+$/.test(text);
  if (d === 'postgres') {
    if (!integer) return sql`CAST(${text} AS numeric)`;
    const v = BigInt(text);
    if (v >= -INT4_MAX && v < INT4_MAX) return sql`CAST(${text} AS integer)`;
    if (v >= -INT8_MAX && v < INT8_MAX) return sql`CAST(${text} AS bigint)`;
    return sql`CAST(${text} AS numeric)`;
  }
  if (integer && Number.isSafeInteger(Number(text))) return sql`${Number(text)}`;
  // MySQL reads 1e3 as a DOUBLE; a JS number says the same.
  if (/[eE]/.test(text)) return sql`${Number(text)}`;
  return sql`CAST(${text} AS DECIMAL(65,30))`;
}
