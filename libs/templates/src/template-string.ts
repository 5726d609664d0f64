/**
 * Tokenising of template strings: the `$N`, `${N}`, `${name}` and `$$` syntax shared by every
 * string of a template.
 *
 * Syntax (one place, so every caller agrees):
 * - `$N` / `${N}` — the N-th CLI input, 1-based. `$12` is input 12; write `${1}2` for input 1 then "2".
 * - `${name}` — a variable set by a `prepare` step (`[A-Za-z_][A-Za-z0-9_]*`).
 * - `$$` — a literal `$`. (`\$` is NOT an escape: backslashes are left alone, because YAML
 *   double-quoted strings and regular expressions already give them meaning.)
 * - `$` followed by anything else (space, punctuation, end of string) is a literal `$`.
 * - `$name` (a bare identifier) is rejected: it is almost always a forgotten `{}`.
 */

/** Literal text between references, with `$$` already turned into `$`. */
export interface TextToken {
  readonly kind: 'text';
  readonly text: string;
}

/** A `$N` / `${N}` reference to the N-th (1-based) CLI input. */
export interface InputToken {
  readonly kind: 'input';
  readonly index: number;
  /** The reference as written, e.g. `$1`. */
  readonly raw: string;
  /** Offset of the `$` in the string. */
  readonly start: number;
  /** Offset just past the reference. */
  readonly end: number;
}

/** A `${name}` reference to a prepare variable. */
export interface VariableToken {
  readonly kind: 'variable';
  readonly name: string;
  readonly raw: string;
  readonly start: number;
  readonly end: number;
}

/** A reference inside a template string. */
export type ReferenceToken = InputToken | VariableToken;

/** One piece of a tokenised template string. */
export type TemplateToken = TextToken | ReferenceToken;

/** A syntax problem in a template string; callers turn it into an `HfitError` with a location. */
export class TemplateStringSyntaxError extends Error {
  constructor(
    message: string,
    /** Offset in the string where the problem starts. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'TemplateStringSyntaxError';
  }
}

/** Pattern a variable name must match. */
export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What a `$` at a given offset starts. */
export type DollarToken =
  | { readonly kind: 'text'; readonly text: string; readonly end: number }
  | ReferenceToken;

/**
 * Reads whatever starts with the `$` at `start` of `str`. Exposed for scanners that need to track
 * their own state between references (see `bindQuery`).
 * @throws TemplateStringSyntaxError on `$name`, unterminated `${` and invalid `${…}` contents.
 */
export function readDollar(str: string, start: number): DollarToken {
  const next = str[start + 1];
  if (next === '$') return { kind: 'text', text: '$', end: start + 2 };
  if (next !== undefined && next >= '0' && next <= '9') {
    let end = start + 1;
    while (end < str.length && str[end]! >= '0' && str[end]! <= '9') end++;
    const raw = str.slice(start, end);
    return { kind: 'input', index: Number(raw.slice(1)), raw, start, end };
  }
  if (next === '{') {
    const close = str.indexOf('}', start + 2);
    if (close < 0) {
      throw new TemplateStringSyntaxError(
        `unterminated "\${" at offset ${start}: close it with "}" or write "$$" for a literal "$"`,
        start,
      );
    }
    const inner = str.slice(start + 2, close);
    const raw = str.slice(start, close + 1);
    if (/^[0-9]+$/.test(inner)) return { kind: 'input', index: Number(inner), raw, start, end: close + 1 };
    if (VARIABLE_NAME_PATTERN.test(inner)) return { kind: 'variable', name: inner, raw, start, end: close + 1 };
    throw new TemplateStringSyntaxError(
      `"${raw}" is not a valid reference: write \${name} (letters, digits, "_") or \${N} for the N-th input; write "$$" for a literal "$"`,
      start,
    );
  }
  if (next !== undefined && /[A-Za-z_]/.test(next)) {
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(str.slice(start + 1))![0];
    throw new TemplateStringSyntaxError(
      `"$${name}" is not a reference: write "\${${name}}" for the variable, or "$$${name}" for the literal text`,
      start,
    );
  }
  return { kind: 'text', text: '$', end: start + 1 };
}

/**
 * Splits a template string into literal text and references. Adjacent text is merged.
 * @throws TemplateStringSyntaxError on invalid syntax (see the module comment).
 */
export function tokenizeTemplateString(str: string): TemplateToken[] {
  const tokens: TemplateToken[] = [];
  let text = '';
  let i = 0;
  while (i < str.length) {
    const dollar = str.indexOf('$', i);
    if (dollar < 0) {
      text += str.slice(i);
      break;
    }
    text += str.slice(i, dollar);
    const token = readDollar(str, dollar);
    if (token.kind === 'text') {
      text += token.text;
    } else {
      if (text) tokens.push({ kind: 'text', text });
      text = '';
      tokens.push(token);
    }
    i = token.end;
  }
  if (text) tokens.push({ kind: 'text', text });
  return tokens;
}

/** The references in a template string, in order. */
export function referencesOf(str: string): ReferenceToken[] {
  return tokenizeTemplateString(str).filter((t): t is ReferenceToken => t.kind !== 'text');
}
