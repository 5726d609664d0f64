import { HfitError } from '@hfit/contracts';
import type { SubstitutionContext } from './substitution-context.js';
import type { ReferenceToken } from './template-string.js';

/** Lists the defined variable names for error messages. */
export function describeVariables(names: Iterable<string>): string {
  const list = [...names];
  return list.length ? `defined variables: ${list.map((n) => `\${${n}}`).join(', ')}` : 'no variables are defined';
}

/** A case-insensitive near miss among `names`, for "did you mean" hints. */
export function nearMiss(name: string, names: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  for (const n of names) if (n !== name && n.toLowerCase() === lower) return n;
  return undefined;
}

/**
 * The value of one reference.
 * @throws HfitError VARIABLE_UNKNOWN for an unset variable, INPUT_OUT_OF_RANGE for `$N` past the inputs.
 */
export function resolveReference(ref: ReferenceToken, ctx: SubstitutionContext): string {
  if (ref.kind === 'input') {
    const value = ref.index >= 1 ? ctx.inputs[ref.index - 1] : undefined;
    if (value === undefined) {
      const given = ctx.inputs.length;
      throw new HfitError(
        'INPUT_OUT_OF_RANGE',
        ref.index < 1
          ? `${ref.raw} does not name an input: inputs are numbered from $1`
          : `${ref.raw} refers to input ${ref.index} but ${given} input${given === 1 ? ' was' : 's were'} given: ` +
              `pass at least ${ref.index} argument${ref.index === 1 ? '' : 's'} after the template name`,
      );
    }
    return value;
  }
  const value = ctx.vars.get(ref.name);
  if (value === undefined) {
    const hint = nearMiss(ref.name, ctx.vars.keys());
    throw new HfitError(
      'VARIABLE_UNKNOWN',
      `unknown variable \${${ref.name}}${hint ? ` (did you mean \${${hint}}?)` : ''}; ` +
        `${describeVariables(ctx.vars.keys())}: set it with a prepare step before it is used`,
    );
  }
  return value;
}
