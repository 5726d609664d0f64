import type { AuditVerification } from '@hfit/contracts';
import { formatProblem } from '../errors/describe-error.js';
import { formatQuantity } from './format-units.js';

/** `3 files checked, all intact` / `3 files checked, 1 broken, 1 missing`: the last line, and what the error says. */
export function auditVerificationSummary(result: AuditVerification): string {
  const broken = result.files.filter((f) => !f.ok).length;
  const parts = [`${formatQuantity(result.files.length, 'file')} checked`];
  if (result.ok) parts.push('all intact');
  if (broken > 0) parts.push(`${broken} broken`);
  if (result.missing.length > 0) parts.push(`${result.missing.length} missing`);
  return parts.join(', ');
}

/**
 * `hfit admin audit verify` as text: one line per file (`ok  <file>  <n> lines, <n> writers`, or
 * `BROKEN <file>` with its problems indented below), then each missing file with why, then the
 * summary.
 */
export function auditVerificationLines(result: AuditVerification): string[] {
  const lines: string[] = [];
  for (const f of result.files) {
    const counts = `${formatQuantity(f.lines, 'line')}, ${formatQuantity(f.writers, 'writer')}`;
    if (f.ok) lines.push(`ok      ${f.file}  ${counts}`);
    else lines.push(`BROKEN  ${f.file}  ${counts}`, ...f.problems.map((p) => `  ${formatProblem(p)}`));
  }
  for (const m of result.missing) lines.push(`MISSING ${m.file}`, `  ${m.message}`, `  writers: ${m.writers.join(', ')}`);
  lines.push(auditVerificationSummary(result));
  return lines;
}
