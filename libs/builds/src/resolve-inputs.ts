import { HfitError, type ErrorDetail } from '@hfit/contracts';
import type { TemplateModel } from '@hfit/templates';

/**
 * The positional inputs (`$1`, `$2`, …) of a build from its positional and named arguments. A named
 * argument sets the `from: input` variable of that name: its value goes to the `$N` the step reads.
 * Every problem is reported at once: an unknown name, a step that does not read one `$N`, a name
 * that contradicts a positional argument, a `$N` still missing.
 */
export function resolveInputs(model: TemplateModel, args: readonly string[], namedArgs: Readonly<Record<string, string>>): string[] {
  const inputs: (string | undefined)[] = [...args];
  const problems: ErrorDetail[] = [];
  const inputSteps = model.prepare.filter((s) => s.from === 'input');
  for (const [name, value] of Object.entries(namedArgs)) {
    const step = inputSteps.find((s) => s.setVar === name);
    if (!step) {
      const known = inputSteps.map((s) => s.setVar);
      problems.push({
        field: `namedArgs.${name}`,
        message: `"${name}" is not an input variable of template "${model.templateName}": ${known.length ? `use one of ${known.join(', ')}` : 'it takes positional arguments only'}`,
      });
      continue;
    }
    const m = /^\$([1-9][0-9]*)$/.exec(step.source.trim());
    if (!m) {
      problems.push({ field: `namedArgs.${name}`, message: `"${name}" is set from "${step.source}", not from a single $N: pass it as a positional argument` });
      continue;
    }
    const index = Number(m[1]) - 1;
    const given = inputs[index];
    if (given !== undefined && given !== value) {
      problems.push({ field: `namedArgs.${name}`, message: `"${name}" is $${index + 1}, which the positional arguments already set to another value: give it once` });
      continue;
    }
    inputs[index] = value;
  }
  for (let i = 0; i < model.requiredInputs; i++) {
    if (inputs[i] === undefined) {
      const step = inputSteps.find((s) => s.source.trim() === `$${i + 1}`);
      problems.push({
        field: 'args',
        message: `template "${model.templateName}" needs $${i + 1}${step ? ` (${step.setVar})` : ''}: pass it as argument ${i + 1}${step ? ` or as namedArgs.${step.setVar}` : ''}`,
      });
    }
  }
  if (problems.length === 1) throw new HfitError(problems[0]!.field === 'args' ? 'INPUT_OUT_OF_RANGE' : 'REQUEST_INVALID', problems[0]!.message, { field: problems[0]!.field!, details: problems });
  if (problems.length > 1) throw new HfitError('REQUEST_INVALID', `${problems.length} problems with the build arguments: ${problems.map((p) => p.message).join('; ')}`, { details: problems });
  return inputs.map((v) => v ?? '');
}
