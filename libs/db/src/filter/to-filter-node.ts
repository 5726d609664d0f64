import type { SourceType } from '../connection/source-connection.js';
import type { Catalog } from '../introspection/catalog.js';
import type { TableInfo } from '../introspection/table-info.js';
import { filterRejected } from './filter-errors.js';
import { FILTER_FUNCTIONS } from './filter-functions.js';
import type { ArithmeticOperator, ComparisonOperator, FilterNode, LiteralNode } from './filter-node.js';
import type { SqlAstNode } from './parse-filter.js';
import type { PreparedFilter } from './prepare-filter-text.js';

/** What the AST walk needs to resolve placeholders and columns. */
export interface FilterWalkContext {
  readonly dialect: SourceType;
  readonly table: TableInfo;
  readonly catalog: Catalog;
  readonly prepared: PreparedFilter;
  readonly field: string | undefined;
}

const COMPARISONS: ReadonlyMap<string, ComparisonOperator> = new Map([
  ['=', '='],
  ['<>', '<>'],
  ['!=', '<>'],
  ['<', '<'],
  ['<=', '<='],
  ['>', '>'],
  ['>=', '>='],
]);
const ARITHMETIC = new Set<string>(['+', '-', '*', '/']);
/** Operators whose result is a truth value: as an operand of another operator they need parentheses. */
const PREDICATE_OPERATORS = new Set([
  ...COMPARISONS.keys(),
  'AND', 'OR', 'IN', 'NOT IN', 'BETWEEN', 'NOT BETWEEN', 'LIKE', 'NOT LIKE', 'ILIKE', 'NOT ILIKE', 'IS', 'IS NOT',
]);

/** Names of parser node types hfit never accepts, for the rejection message. */
const NODE_NAMES: Readonly<Record<string, string>> = {
  case: 'CASE expression',
  cast: 'cast',
  convert: 'CONVERT',
  interval: 'INTERVAL',
  extract: 'EXTRACT (use year(), month() or day())',
  param: 'parameter',
  array: 'ARRAY',
  star: '"*"',
  expr_list: 'row value (a, b, …)',
  fulltext_search: 'MATCH … AGAINST',
  select: 'subquery',
  natural_string: "N'…' string",
  hex_string: 'hex literal',
  full_hex_string: 'hex literal',
  bit_string: 'bit literal',
  number: 'number',
  bigint: 'number',
};

const isNode = (x: unknown): x is SqlAstNode => typeof x === 'object' && x !== null && !Array.isArray(x);
const operatorOf = (n: SqlAstNode) => String(n.operator ?? '').toUpperCase();

/**
 * Translates node-sql-parser's WHERE expression into a {@link FilterNode}, accepting only the node
 * kinds and shapes listed there. Unknown node types, unknown keys on known nodes, functions outside
 * the allow-list and columns outside the table are rejected by name.
 */
export function toFilterNode(where: SqlAstNode, ctx: FilterWalkContext): FilterNode {
  const walker = new Walker(ctx);
  const root = walker.convert(where);
  walker.condition(root);
  return root;
}

class Walker {
  constructor(private readonly ctx: FilterWalkContext) {}

  private reject(part: string, hint?: string): never {
    throw filterRejected(part, this.ctx.field, hint);
  }

  /** Keys a node of a given kind may carry; a parser feature hfit does not know shows up as another key. */
  private onlyKeys(n: SqlAstNode, allowed: readonly string[]): void {
    for (const [k, v] of Object.entries(n)) {
      if (k === 'type' || k === 'loc' || k === 'parentheses' || allowed.includes(k)) continue;
      if (v === null || v === undefined || v === false || (Array.isArray(v) && v.length === 0)) continue;
      if (k === 'collate') this.reject('COLLATE');
      if (k === 'over') this.reject('window function (OVER)');
      this.reject(`"${k}" syntax`);
    }
  }

  convert(n: unknown): FilterNode {
    if (!isNode(n)) this.reject('an unrecognised expression');
    if ('ast' in n || n.type === 'select') this.reject('subquery');
    switch (n.type) {
      case 'binary_expr':
        return this.binary(n);
      case 'unary_expr':
        return this.unary(n);
      case 'function':
        return this.call(n);
      case 'aggr_func':
        return this.reject(`aggregate function "${String(n.name).toLowerCase()}"`);
      case 'column_ref':
        return this.column(n);
      // PostgreSQL's grammar reads a quoted name after LIKE as a bare quoted string; it is still a
      // column (double quotes never delimit strings there; MySQL's "…" strings became placeholders).
      case 'double_quote_string':
      case 'backticks_quote_string':
        this.onlyKeys(n, ['value']);
        return this.column({ type: 'column_ref', table: null, column: n.value });
      case 'var':
        return this.reject(`variable ${String(n.prefix ?? '@')}${String(n.name ?? '')}`);
      default:
        return this.literal(n);
    }
  }

  /**
   * PostgreSQL refuses a non-boolean WHERE (`WHERE id`) at run time, in the middle of a build;
   * say so now. MySQL reads any value as a truth value, so it is left alone there.
   */
  condition(n: FilterNode): void {
    if (n.kind === 'and' || n.kind === 'or') return n.operands.forEach((x) => this.condition(x));
    if (n.kind === 'not') return this.condition(n.operand);
    if (this.ctx.dialect !== 'postgres') return;
    if (n.kind === 'column') {
      const c = this.ctx.table.columns.find((x) => x.name === n.name);
      if (c && c.typeCategory !== 'B') this.reject(`column "${n.name}" (${c.columnType}) as a condition`, `compare it, e.g. ${n.name} = …`);
    }
    if (n.kind === 'literal' && n.type !== 'boolean' && n.type !== 'null') this.reject(`a ${n.type} constant as a condition`, 'write a comparison');
    if (n.kind === 'arithmetic' || n.kind === 'negate') this.reject('a calculation as a condition', 'write a comparison');
  }

  /** An operand of an operator: a truth-valued operand must be parenthesised (`(a < b) = c`). */
  private operand(n: unknown, operator: string): FilterNode {
    if (isNode(n) && !n.parentheses && this.isPredicate(n))
      this.reject(`a condition as an operand of "${operator}" without parentheses`, 'add parentheses to say what is compared, e.g. (a < b) = c');
    return this.convert(n);
  }

  private isPredicate(n: SqlAstNode): boolean {
    if (n.type === 'binary_expr') return PREDICATE_OPERATORS.has(operatorOf(n));
    if (n.type === 'unary_expr') return operatorOf(n) === 'NOT';
    if (n.type === 'function') return this.functionName(n) === 'NOT';
    return false;
  }

  private binary(n: SqlAstNode): FilterNode {
    const op = operatorOf(n);
    if (op === 'AND' || op === 'OR') return this.logical(n);
    this.onlyKeys(n, ['operator', 'left', 'right']);
    const comparison = COMPARISONS.get(op);
    if (comparison) return { kind: 'comparison', operator: comparison, left: this.operand(n.left, op), right: this.operand(n.right, op) };
    if (ARITHMETIC.has(op))
      return { kind: 'arithmetic', operator: op as ArithmeticOperator, left: this.operand(n.left, op), right: this.operand(n.right, op) };
    const right = n.right;
    switch (op) {
      case 'IN':
      case 'NOT IN': {
        if (!isNode(right) || right.type !== 'expr_list' || !Array.isArray(right.value)) return this.reject(`${op} without a list of constants`);
        this.onlyKeys(right, ['value']);
        const values = right.value.map((v) => this.constant(v, `${op} list`));
        if (values.length === 0) this.reject(`an empty ${op} list`);
        return { kind: 'in', negated: op === 'NOT IN', operand: this.operand(n.left, op), values };
      }
      case 'BETWEEN':
      case 'NOT BETWEEN': {
        if (!isNode(right) || right.type !== 'expr_list' || !Array.isArray(right.value) || right.value.length !== 2)
          return this.reject(`${op} without two bounds`);
        this.onlyKeys(right, ['value']);
        return {
          kind: 'between',
          negated: op === 'NOT BETWEEN',
          operand: this.operand(n.left, op),
          low: this.operand(right.value[0], op),
          high: this.operand(right.value[1], op),
        };
      }
      case 'LIKE':
      case 'NOT LIKE':
      case 'ILIKE':
      case 'NOT ILIKE': {
        if (op.endsWith('ILIKE') && this.ctx.dialect !== 'postgres') this.reject('ILIKE (PostgreSQL only)');
        if (!isNode(right)) return this.reject(`${op} without a pattern`);
        const { escape, ...pattern } = right;
        let escapeChar: string | undefined;
        if (escape !== undefined && escape !== null) {
          const e = isNode(escape) && isNode(escape.value) ? this.constant(escape.value, 'ESCAPE') : undefined;
          if (e?.type !== 'string' || [...e.value].length !== 1) this.reject('an ESCAPE that is not a one-character string');
          escapeChar = e.value;
        }
        return {
          kind: 'like',
          negated: op.startsWith('NOT '),
          caseInsensitive: op.endsWith('ILIKE'),
          operand: this.operand(n.left, op),
          pattern: this.operand(pattern, op),
          ...(escapeChar === undefined ? {} : { escape: escapeChar }),
        };
      }
      case 'IS':
      case 'IS NOT': {
        if (!isNode(right)) return this.reject(`${op} without NULL, TRUE or FALSE`);
        const value = right.type === 'null' ? null : (right.type === 'bool' || right.type === 'boolean') && typeof right.value === 'boolean' ? right.value : undefined;
        if (value === undefined) return this.reject(`${op} followed by something other than NULL, TRUE or FALSE`, 'write IS [NOT] NULL, IS [NOT] TRUE or IS [NOT] FALSE');
        return { kind: 'is', negated: op === 'IS NOT', operand: this.operand(n.left, op), value };
      }
      default:
        return this.reject(`operator "${op}"`);
    }
  }

  /**
   * AND/OR chains. node-sql-parser 5.4 gives AND and OR the same precedence and associates left to
   * right (`a OR b AND c` comes back as `(a OR b) AND c`; taozhi8833998/node-sql-parser#1154), which
   * would silently widen or narrow the rows a filter selects. An in-order walk of the unparenthesised
   * AND/OR nodes gives back the operands in the order the user wrote them; they are then regrouped
   * with SQL's precedence (AND before OR). Parenthesised sub-expressions are kept as written.
   */
  private logical(root: SqlAstNode): FilterNode {
    const items: unknown[] = [];
    const ops: string[] = [];
    const walk = (n: unknown, isRoot: boolean): void => {
      if (!isRoot && !(isNode(n) && n.type === 'binary_expr' && !n.parentheses && (operatorOf(n) === 'AND' || operatorOf(n) === 'OR'))) {
        items.push(n);
        return;
      }
      const node = n as SqlAstNode;
      this.onlyKeys(node, ['operator', 'left', 'right']);
      walk(node.left, false);
      ops.push(operatorOf(node));
      walk(node.right, false);
    };
    walk(root, true);
    const groups: unknown[][] = [[items[0]]];
    ops.forEach((op, k) => {
      if (op === 'AND') groups[groups.length - 1]!.push(items[k + 1]);
      else groups.push([items[k + 1]]);
    });
    const ands = groups.map((g): FilterNode => (g.length === 1 ? this.convert(g[0]) : { kind: 'and', operands: g.map((x) => this.convert(x)) }));
    return ands.length === 1 ? ands[0]! : { kind: 'or', operands: ands };
  }

  private unary(n: SqlAstNode): FilterNode {
    this.onlyKeys(n, ['operator', 'expr']);
    const op = operatorOf(n);
    if (op === 'NOT') return this.not(n.expr);
    if (op !== '-' && op !== '+') return this.reject(`operator "${op}"`);
    const inner = this.operand(n.expr, op);
    if (op === '+') {
      if (inner.kind !== 'literal' || inner.type !== 'number') return this.reject('a unary plus before anything but a number');
      return inner;
    }
    if (inner.kind === 'literal') {
      if (inner.type !== 'number') return this.reject(`a minus sign before a ${inner.type} constant`);
      return { kind: 'literal', type: 'number', value: inner.value.startsWith('-') ? inner.value.slice(1) : `-${inner.value}` };
    }
    return { kind: 'negate', operand: inner };
  }

  private not(operand: unknown): FilterNode {
    // NOT binds tighter than AND/OR; an unparenthesised AND/OR under NOT would mean the parser
    // grouped differently from SQL. It does not today, but refuse rather than guess.
    if (isNode(operand) && !operand.parentheses && operand.type === 'binary_expr' && ['AND', 'OR'].includes(operatorOf(operand)))
      this.reject('NOT before an unparenthesised AND/OR', 'write NOT (a AND b) or (NOT a) AND b');
    return { kind: 'not', operand: this.convert(operand) };
  }

  private functionName(n: SqlAstNode): string {
    const name = n.name as { name?: Array<{ type?: string; value?: unknown }>; schema?: { value?: unknown } } | string | undefined;
    if (typeof name === 'string') return name.toUpperCase();
    const parts = name?.name ?? [];
    const schema = name?.schema?.value;
    const text = parts.map((p) => this.identifierText(p.value)).join('.');
    return (schema === undefined ? text : `${this.identifierText(schema)}.${text}`).toUpperCase();
  }

  private call(n: SqlAstNode): FilterNode {
    this.onlyKeys(n, ['name', 'args']);
    const name = this.functionName(n);
    const args = n.args === undefined || n.args === null ? [] : isNode(n.args) && Array.isArray(n.args.value) ? n.args.value : undefined;
    if (args === undefined) return this.reject(`function "${name.toLowerCase()}" with unusual arguments`);
    if (isNode(n.args)) this.onlyKeys(n.args, ['value']);
    // The parser reads `NOT (x)` as a call of a function named NOT; its argument was parenthesised.
    if (name === 'NOT' && args.length === 1 && isNode(args[0])) return this.not({ ...args[0], parentheses: true });
    const spec = FILTER_FUNCTIONS.get(name.toLowerCase());
    if (!spec) return this.reject(`function "${name.toLowerCase()}"`);
    if (args.length < spec.minArgs || args.length > spec.maxArgs)
      return this.reject(
        `function "${name.toLowerCase()}" with ${args.length} argument(s)`,
        `${name.toLowerCase()} takes ${spec.minArgs === spec.maxArgs ? spec.minArgs : `${spec.minArgs} to ${spec.maxArgs}`} argument(s)`,
      );
    return { kind: 'function', name: spec.name, args: args.map((a) => this.convert(a)) };
  }

  /**
   * Text of an identifier in the parser's output: a `#n` placeholder, or a bare word (folded on
   * PostgreSQL). Strict about shape: anything else (e.g. the parser's reading of `a.b.c.d`) is refused.
   */
  private identifierText(x: unknown): string {
    if (isNode(x)) {
      if (isNode(x.expr) && Object.keys(x).every((k) => k === 'expr' || k === 'loc')) return this.identifierText(x.expr);
      if (typeof x.value === 'string' && ['default', 'double_quote_string', 'backticks_quote_string'].includes(String(x.type)))
        return this.identifierText(x.value);
      return this.reject('a name with more than three parts or an unusual form', 'write column, table.column or database.table.column');
    }
    if (typeof x !== 'string') return this.reject('a name with more than three parts or an unusual form', 'write column, table.column or database.table.column');
    const m = /^#(\d+)$/.exec(x);
    if (m) {
      const id = this.ctx.prepared.identifiers[Number(m[1])];
      if (id) return id.name;
    }
    return this.ctx.dialect === 'postgres' ? x.toLowerCase() : x;
  }

  private column(n: SqlAstNode): FilterNode {
    this.onlyKeys(n, ['table', 'column', 'db', 'schema']);
    const name = this.identifierText(n.column);
    if (name === '*') return this.reject('"*"');
    const { table } = this.ctx;
    const qualifier = n.table === null || n.table === undefined ? undefined : this.identifierText(n.table);
    const owner = n.db ?? n.schema;
    const database = owner === null || owner === undefined ? undefined : this.identifierText(owner);
    const sameName = (a: string, b: string) => (this.ctx.dialect === 'mysql' ? a.toLowerCase() === b.toLowerCase() : a === b);
    if (qualifier !== undefined && !sameName(qualifier, table.name))
      this.reject(`column "${name}" of another table "${database === undefined ? '' : `${database}.`}${qualifier}"`, `only columns of ${table.database}.${table.name} can be used`);
    if (database !== undefined && database !== table.database)
      this.reject(`column "${name}" of another database "${database}"`, `only columns of ${table.database}.${table.name} can be used`);
    return { kind: 'column', name: this.ctx.catalog.column(table, name, this.ctx.field).name };
  }

  /** A constant, where only a constant may stand (IN lists, ESCAPE). A leading minus is folded. */
  private constant(n: unknown, where: string): LiteralNode {
    const node = this.convert(n);
    if (node.kind !== 'literal') return this.reject(`${describe(node)} in ${where}`, `${where} holds constants only`);
    return node;
  }

  private literal(n: SqlAstNode): LiteralNode {
    this.onlyKeys(n, ['value']);
    switch (n.type) {
      case 'null':
        return { kind: 'literal', type: 'null', value: null };
      case 'bool':
      case 'boolean':
        if (typeof n.value === 'boolean') return { kind: 'literal', type: 'boolean', value: n.value };
        break;
      case 'single_quote_string':
      case 'date':
      case 'timestamp': {
        const lit = /^[0-9]+$/.test(String(n.value)) ? this.ctx.prepared.literals[Number(n.value)] : undefined;
        if (!lit) break;
        if (n.type === 'single_quote_string')
          return lit.kind === 'string' ? { kind: 'literal', type: 'string', value: lit.value } : this.number(lit.text);
        if (lit.kind !== 'string') break;
        return { kind: 'literal', type: n.type, value: lit.value };
      }
    }
    return this.reject(NODE_NAMES[String(n.type)] ?? `"${String(n.type)}" expression`);
  }

  /**
   * Numbers must survive the trip exactly: MySQL gets exact ones as DECIMAL(65,30), so at most 35
   * digits before and 30 after the point; a float (with exponent) must be a finite double.
   */
  private number(text: string): LiteralNode {
    const [mantissa = '', exponent] = text.split(/[eE]/);
    if (exponent !== undefined) {
      if (!Number.isFinite(Number(text))) this.reject(`number ${text} (out of range)`);
    } else if (this.ctx.dialect === 'mysql') {
      const [whole = '', fraction = ''] = mantissa.split('.');
      if (whole.replace(/^0+/, '').length > 35 || fraction.length > 30)
        this.reject(`number ${text} (too many digits)`, 'MySQL compares exact numbers with at most 35 digits before and 30 after the point');
    }
    return { kind: 'literal', type: 'number', value: text };
  }
}

function describe(n: FilterNode): string {
  return n.kind === 'column' ? `column "${n.name}"` : n.kind === 'function' ? `function "${n.name}"` : `a ${n.kind} expression`;
}
