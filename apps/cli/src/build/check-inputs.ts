import type { ErrorDetail } from '@hfit/contracts';
import { placeInputs, type TemplateModel } from '@hfit/templates';

/**
 * What the server's submit check would say about the inputs (`$1…` from positional arguments,
 * `--arg name=value` for `from: input` variables), without asking it (see `placeInputs`).
 */
export function checkInputs(model: TemplateModel, args: readonly string[], namedArgs: Readonly<Record<string, string>>): ErrorDetail[] {
  return placeInputs(model, args, namedArgs).problems.map((p) => ({ field: p.name === undefined ? 'args' : `--arg ${p.name}`, message: p.message }));
}

/** `$1 (orderId), $2` — the inputs a template needs, for messages. */
export function describeInputs(model: TemplateModel): string {
  if (model.requiredInputs === 0) return 'no arguments';
  const steps = model.prepare.filter((s) => s.from === 'input');
  const names = Array.from({ length: model.requiredInputs }, (_, i) => {
    const step = steps.find((s) => s.source.trim() === `$${i + 1}`);
    return step ? `$${i + 1} (${step.setVar})` : `$${i + 1}`;
  });
  return `${model.requiredInputs} argument${model.requiredInputs === 1 ? '' : 's'}: ${names.join(', ')}`;
}
