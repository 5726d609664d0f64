import { HfitError } from '@hfit/contracts';
import { resolveReference } from './resolve-reference.js';
import type { SubstitutionContext } from './substitution-context.js';
import { readDollar, TemplateStringSyntaxError } from './template-string.js';
import type { ReferenceToken } from './template-string.js';

/**
 * SQL text split around its parameters, like a `TemplateStringsArray` and its values:
 * `parts.length === params.length + 1`, and the SQL is `parts[0] ?1 parts[1] ?2 … parts[n]`.
 * Plain data (serialisable into job payloads) and dialect-neutral; render it with
 * {@link renderQuery}, or hand it to Kysely's `sql` tag, which binds interpolated values.
 */
export interface QueryParts {
  readonly parts: readonly string[];
  /** Values of the references, always bound as strings. */
  readonly params: readonly string[];
}

/** SQL with placeholders plus the values to bind, in placeholder order. */
export interface ParameterisedQuery {
  readonly sql: string;
  readonly params: readonly string[];
}

/** How to read quotes and comments in the SQL around references. */
export interface QueryScanOptions {
  /**
   * Whether `\` escapes the next character inside quoted strings (MySQL default; PostgreSQL only in
   * `E'…'`). Default `true`: when unsure, a literal ending in `\` is read as unterminated, which can
   * only cause a false rejection, never a pasted value.
   */
  readonly backslashEscapes?: boolean;
  /** Whether `#` starts a line comment (MySQL). Default `true`. */
  readonly hashComments?: boolean;
}

/** Returns the placeholder for the i-th (1-based) parameter. */
export type Placeholder = (i: number) => string;

/** MySQL/MariaDB placeholder: `?`. */
export const questionMarkPlaceholder: Placeholder = () => '?';

/** PostgreSQL placeholder: `$1`, `$2`, … */
export const dollarPlaceholder: Placeholder = (i) => `$${i}`;

type ScanState = 'code' | 'single' | 'double' | 'backtick' | 'line-comment' | 'block-comment';

const STATE_WORDS: Record<Exclude<ScanState, 'code'>, string> = {
  single: "a quoted string literal ('…')",
  double: 'a double-quoted string or identifier ("…")',
  backtick: 'a backquoted identifier (`…`)',
  'line-comment': 'a comment',
  'block-comment': 'a comment',
};

/** A reference found in SQL, with whether it may become a parameter. */
export interface QueryReference {
  readonly ref: ReferenceToken;
  /** Why it cannot be a parameter (inside a literal, identifier or comment), if so. */
  readonly problem?: string;
}

/** Result of {@link scanQuery}: literal SQL parts and the references between them. */
export interface ScannedQuery {
  readonly parts: readonly string[];
  readonly references: readonly QueryReference[];
}

function quotedProblem(ref: ReferenceToken, state: Exclude<ScanState, 'code'>): string {
  const what = STATE_WORDS[state];
  if (state === 'line-comment' || state === 'block-comment') {
    return `${ref.raw} is inside ${what}: remove it from the comment (a variable there cannot be bound)`;
  }
  return (
    `${ref.raw} is inside ${what}, where it cannot be a parameter: variables are bound as parameters, ` +
    `never pasted, so write ${ref.raw} unquoted (its value is always bound as a string); ` +
    `for a pattern build it in SQL, e.g. CONCAT('%', ${ref.raw}, '%') on MySQL or '%' || ${ref.raw} || '%' on PostgreSQL`
  );
}

/**
 * Splits SQL around its `$N`/`${name}` references, tracking quotes and comments so that a reference
 * inside a string literal, quoted identifier or comment is reported (it cannot be bound).
 * `$$` becomes a literal `$` (so a PostgreSQL dollar-quote `$$` is written `$$$$`).
 * @throws TemplateStringSyntaxError on invalid reference syntax.
 */
export function scanQuery(query: string, options: QueryScanOptions = {}): ScannedQuery {
  const backslash = options.backslashEscapes ?? true;
  const hash = options.hashComments ?? true;
  const parts: string[] = [];
  const references: QueryReference[] = [];
  let state: ScanState = 'code';
  let current = '';
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    const n = query[i + 1];
    if (c === '$') {
      const token = readDollar(query, i);
      if (token.kind === 'text') {
        current += token.text;
      } else {
        parts.push(current);
        current = '';
        references.push(state === 'code' ? { ref: token } : { ref: token, problem: quotedProblem(token, state) });
      }
      i = token.end;
      continue;
    }
    let step = 1;
    switch (state) {
      case 'code':
        if (c === "'") state = 'single';
        else if (c === '"') state = 'double';
        else if (c === '`') state = 'backtick';
        else if ((c === '-' && n === '-') || (c === '#' && hash)) state = 'line-comment';
        else if (c === '/' && n === '*') state = 'block-comment';
        if (state === 'line-comment' || state === 'block-comment') step = c === '#' ? 1 : 2;
        break;
      case 'single':
      case 'double':
      case 'backtick': {
        const quote = state === 'single' ? "'" : state === 'double' ? '"' : '`';
        if (c === '\\' && backslash && state !== 'backtick' && n !== undefined && n !== '$') step = 2;
        else if (c === quote && n === quote) step = 2;
        else if (c === quote) state = 'code';
        break;
      }
      case 'line-comment':
        if (c === '\n') state = 'code';
        break;
      case 'block-comment':
        if (c === '*' && n === '/') {
          state = 'code';
          step = 2;
        }
        break;
    }
    current += query.slice(i, i + step);
    i += step;
  }
  parts.push(current);
  return { parts, references };
}

/**
 * Splits `query` into SQL parts and parameter values: every `$N`/`${name}` becomes a parameter
 * whose value comes from `ctx`. Nothing is ever pasted into the SQL text.
 * @throws HfitError QUERY_REJECTED for a reference inside a literal, quoted identifier or comment
 *   (write `${x}` unquoted); VARIABLE_UNKNOWN / INPUT_OUT_OF_RANGE for unknown references;
 *   TEMPLATE_INVALID on bad `$` syntax.
 */
export function bindQuery(query: string, ctx: SubstitutionContext, options: QueryScanOptions = {}): QueryParts {
  let scanned: ScannedQuery;
  try {
    scanned = scanQuery(query, options);
  } catch (e) {
    if (e instanceof TemplateStringSyntaxError) throw new HfitError('TEMPLATE_INVALID', e.message);
    throw e;
  }
  const problem = scanned.references.find((r) => r.problem !== undefined);
  if (problem) throw new HfitError('QUERY_REJECTED', problem.problem!);
  return { parts: scanned.parts, params: scanned.references.map((r) => resolveReference(r.ref, ctx)) };
}

/** Joins {@link QueryParts} with dialect placeholders (`placeholder(1)`, `placeholder(2)`, …). */
export function renderQuery(query: QueryParts, placeholder: Placeholder): ParameterisedQuery {
  let sql = query.parts[0] ?? '';
  for (let i = 1; i < query.parts.length; i++) sql += placeholder(i) + query.parts[i]!;
  return { sql, params: [...query.params] };
}

/**
 * Replaces each `$N`/`${name}` in `query` by a placeholder and collects the values in order, e.g.
 * `parameteriseQuery(q, ctx, questionMarkPlaceholder)` for MySQL or `dollarPlaceholder` for
 * PostgreSQL (`$1…$n`). Same rules and errors as {@link bindQuery}.
 */
export function parameteriseQuery(
  query: string,
  ctx: SubstitutionContext,
  placeholder: Placeholder,
  options: QueryScanOptions = {},
): ParameterisedQuery {
  return renderQuery(bindQuery(query, ctx, options), placeholder);
}
