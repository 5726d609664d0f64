import { HfitError } from '@hfit/contracts';
import type { ErrorDetail } from '@hfit/contracts';

/** Builds the CONFIG_INVALID error listing every problem, in line order. */
export function configError(where: string, problems: readonly ErrorDetail[]): HfitError {
  const sorted = [...problems].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  const lines = sorted.map((p) => `- ${p.field || '(top level)'}${p.line === undefined ? '' : ` (line ${p.line})`}: ${p.message}`);
  const n = sorted.length;
  const first = sorted[0];
  return new HfitError('CONFIG_INVALID', `server config ${where} has ${n} problem${n === 1 ? '' : 's'}:\n${lines.join('\n')}`, {
    details: sorted,
    ...(first?.field ? { field: first.field } : {}),
    ...(first?.line === undefined ? {} : { line: first.line }),
  });
}
