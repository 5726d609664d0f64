import { HfitError, type ErrorDetail } from '@hfit/contracts';
import { placeInputs, type TemplateModel } from '@hfit/templates';

/**
 * The positional inputs (`$1`, `$2`, …) of a build from its positional and named arguments (see
 * `placeInputs`). One problem is thrown with its own code (`INPUT_OUT_OF_RANGE` for a missing
 * `$N`), several as `REQUEST_INVALID` listing them all.
 */
export function resolveInputs(model: TemplateModel, args: readonly string[], namedArgs: Readonly<Record<string, string>>): string[] {
  const { inputs, problems } = placeInputs(model, args, namedArgs);
  const details: ErrorDetail[] = problems.map((p) => ({ field: p.name === undefined ? 'args' : `namedArgs.${p.name}`, message: p.message }));
  if (details.length === 1) throw new HfitError(details[0]!.field === 'args' ? 'INPUT_OUT_OF_RANGE' : 'REQUEST_INVALID', details[0]!.message, { field: details[0]!.field!, details });
  if (details.length > 1) throw new HfitError('REQUEST_INVALID', `${details.length} problems with the build arguments: ${details.map((p) => p.message).join('; ')}`, { details });
  return inputs.map((v) => v ?? '');
}
