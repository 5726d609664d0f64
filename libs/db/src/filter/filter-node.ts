/**
 * hfit's own syntax tree of a table-data filter. It is deliberately small: every node kind here
 * is one the compiler knows how to rebuild safely with Kysely, and nothing a parser might produce
 * reaches the database unless it was first translated into one of these.
 *
 * Plain data (JSON-serialisable) so it can be logged, compared in tests and stored for audit.
 */
export type FilterNode =
  | ColumnNode
  | LiteralNode
  | ComparisonNode
  | LogicalNode
  | NotNode
  | InNode
  | BetweenNode
  | LikeNode
  | IsNode
  | ArithmeticNode
  | NegateNode
  | FunctionNode;

/** A column of the filtered table, spelt as the catalog spells it. */
export interface ColumnNode {
  readonly kind: 'column';
  readonly name: string;
}

/**
 * A constant. Numbers keep the text the user wrote (`'12.50'`, `'-3'`, `'1e3'`) so no precision is
 * lost on the way to the database; `date`/`timestamp` come from `DATE '…'`/`TIMESTAMP '…'`.
 */
export type LiteralNode =
  | { readonly kind: 'literal'; readonly type: 'string'; readonly value: string }
  | { readonly kind: 'literal'; readonly type: 'number'; readonly value: string }
  | { readonly kind: 'literal'; readonly type: 'boolean'; readonly value: boolean }
  | { readonly kind: 'literal'; readonly type: 'null'; readonly value: null }
  | { readonly kind: 'literal'; readonly type: 'date' | 'timestamp'; readonly value: string };

/** Comparison operators (`!=` is normalised to `<>`). */
export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export interface ComparisonNode {
  readonly kind: 'comparison';
  readonly operator: ComparisonOperator;
  readonly left: FilterNode;
  readonly right: FilterNode;
}

/** `a AND b AND …` / `a OR b OR …` (n-ary; AND binds tighter than OR as in SQL). */
export interface LogicalNode {
  readonly kind: 'and' | 'or';
  readonly operands: readonly FilterNode[];
}

export interface NotNode {
  readonly kind: 'not';
  readonly operand: FilterNode;
}

/** `x [NOT] IN (literal, …)`: the list holds constants only (no subqueries, no columns). */
export interface InNode {
  readonly kind: 'in';
  readonly negated: boolean;
  readonly operand: FilterNode;
  readonly values: readonly LiteralNode[];
}

export interface BetweenNode {
  readonly kind: 'between';
  readonly negated: boolean;
  readonly operand: FilterNode;
  readonly low: FilterNode;
  readonly high: FilterNode;
}

/** `x [NOT] LIKE pattern [ESCAPE 'c']`; `ILIKE` only on PostgreSQL. The pattern stays a bound value. */
export interface LikeNode {
  readonly kind: 'like';
  readonly negated: boolean;
  readonly caseInsensitive: boolean;
  readonly operand: FilterNode;
  readonly pattern: FilterNode;
  readonly escape?: string;
}

/** `x IS [NOT] NULL|TRUE|FALSE`. */
export interface IsNode {
  readonly kind: 'is';
  readonly negated: boolean;
  readonly operand: FilterNode;
  readonly value: null | boolean;
}

export type ArithmeticOperator = '+' | '-' | '*' | '/';

export interface ArithmeticNode {
  readonly kind: 'arithmetic';
  readonly operator: ArithmeticOperator;
  readonly left: FilterNode;
  readonly right: FilterNode;
}

/** Unary minus of a non-constant (a minus before a number is folded into the literal). */
export interface NegateNode {
  readonly kind: 'negate';
  readonly operand: FilterNode;
}

/** A call of one of the {@link FilterFunctionName allowed functions}. */
export interface FunctionNode {
  readonly kind: 'function';
  readonly name: FilterFunctionName;
  readonly args: readonly FilterNode[];
}

/**
 * The functions a filter may call — pure, cheap, and with no access to anything but their
 * arguments:
 * - `lower(s)`, `upper(s)`
 * - `char_length(s)` (`character_length` is read as `char_length`), `length(s)` — note MySQL's
 *   `length` counts bytes, PostgreSQL's counts characters: prefer `char_length`
 * - `abs(n)`, `coalesce(a, b, …)`
 * - `year(d)`, `month(d)`, `day(d)` (PostgreSQL: rebuilt as `EXTRACT(… FROM d)::integer`)
 * - `date(ts)` (PostgreSQL: rebuilt as `CAST(ts AS date)`)
 *
 * Everything else (sleep, benchmark, load_file, pg_sleep, pg_read_file, version, user,
 * current_setting, set_config, lo_import, dblink, …) is rejected.
 */
export type FilterFunctionName =
  | 'lower'
  | 'upper'
  | 'char_length'
  | 'length'
  | 'abs'
  | 'coalesce'
  | 'year'
  | 'month'
  | 'day'
  | 'date';
