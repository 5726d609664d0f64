import { formatProblem, type ErrorReport } from '../errors/describe-error.js';

/**
 * A failure as stderr shows it: `hfit: <message> (<CODE>)`, then each listed problem the message
 * does not already say (`  - field, line N: message`), then `hint: …`.
 */
export function errorLines(report: ErrorReport): string[] {
  const lines = [`hfit: ${report.message}${report.code === undefined ? '' : ` (${report.code})`}`];
  for (const p of report.problems) {
    if (!report.message.includes(p.message.replace(/\s+/g, ' ').trim())) lines.push(`  - ${formatProblem(p)}`);
  }
  if (report.hint !== undefined) lines.push(`hint: ${report.hint}`);
  return lines;
}
