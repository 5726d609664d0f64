import { HfitError } from '@hfit/contracts';
import { resolveReference } from './resolve-reference.js';
import type { SubstitutionContext } from './substitution-context.js';
import { TemplateStringSyntaxError, tokenizeTemplateString } from './template-string.js';

/** Options of {@link substitute}. */
export interface SubstituteOptions {
  /** Applied to every substituted value (not to literal text), e.g. {@link escapeGlob}. */
  readonly escapeValue?: (value: string) => string;
}

/**
 * Replaces `$N`, `${N}` and `${name}` in `str` with their values and `$$` with `$`.
 * Never use it for SQL: see {@link bindQuery}/{@link parameteriseQuery}.
 * @throws HfitError VARIABLE_UNKNOWN, INPUT_OUT_OF_RANGE, or TEMPLATE_INVALID on bad syntax.
 */
export function substitute(str: string, ctx: SubstitutionContext, options: SubstituteOptions = {}): string {
  let tokens;
  try {
    tokens = tokenizeTemplateString(str);
  } catch (e) {
    if (e instanceof TemplateStringSyntaxError) throw new HfitError('TEMPLATE_INVALID', e.message);
    throw e;
  }
  const escape = options.escapeValue ?? ((v: string) => v);
  return tokens.map((t) => (t.kind === 'text' ? t.text : escape(resolveReference(t, ctx)))).join('');
}
