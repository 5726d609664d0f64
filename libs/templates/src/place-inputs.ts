import type { TemplateModel } from './template-model.js';

/** One problem with a build's arguments; `name` is set for a named argument's problem. */
export interface InputProblem {
  readonly message: string;
  readonly name?: string;
}

/**
 * Places positional and named arguments on a template's inputs (`$1`, `$2`, …). A named argument
 * sets the `from: input` variable of that name: its value goes to the `$N` the step reads. Reports
 * every problem: an unknown name, a step that does not read one `$N`, a name that contradicts a
 * positional argument, a `$N` still missing. Shared by the server's submit check and the CLI.
 */
export function placeInputs(
  model: TemplateModel,
  args: readonly string[],
  namedArgs: Readonly<Record<string, string>>,
): { readonly inputs: (string | undefined)[]; readonly problems: InputProblem[] } {
  const inputs: (string | undefined)[] = [...args];
  const problems: InputProblem[] = [];
  const inputSteps = model.prepare.filter((s) => s.from === 'input');
  for (const [name, value] of Object.entries(namedArgs)) {
    const step = inputSteps.find((s) => s.setVar === name);
    if (!step) {
      const known = inputSteps.map((s) => s.setVar);
      problems.push({
        name,
        message: `"${name}" is not an input variable of template "${model.templateName}": ${known.length ? `use one of ${known.join(', ')}` : 'it takes positional arguments only'}`,
      });
      continue;
    }
    const m = /^\$([1-9][0-9]*)$/.exec(step.source.trim());
    if (!m) {
      problems.push({ name, message: `"${name}" is set from "${step.source}", not from a single $N: pass it as a positional argument` });
      continue;
    }
    const index = Number(m[1]) - 1;
    const given = inputs[index];
    if (given !== undefined && given !== value) {
      problems.push({ name, message: `"${name}" is $${index + 1}, which the positional arguments already set to another value: give it once` });
      continue;
    }
    inputs[index] = value;
  }
  for (let i = 0; i < model.requiredInputs; i++) {
    if (inputs[i] !== undefined) continue;
    const step = inputSteps.find((s) => s.source.trim() === `$${i + 1}`);
    problems.push({
      message: `template "${model.templateName}" needs $${i + 1}${step ? ` (${step.setVar})` : ''}: pass it as argument ${i + 1}${step ? ` or by name (${step.setVar})` : ''}`,
    });
  }
  return { inputs, problems };
}
