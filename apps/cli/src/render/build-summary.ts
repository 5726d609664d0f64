import type { BuildView } from '@hfit/contracts';
import { describeExport } from './build-progress-renderer.js';
import { formatBytes, formatDuration, formatQuantity } from './format-units.js';
import type { Style } from './style.js';
import { textTable } from './text-table.js';

/** The lines of `hfit pkg status`: state, template, package, times, artifact, error, and one line per export. */
export function buildSummary(view: BuildView, style: Style): string[] {
  const state = view.state === 'succeeded' ? style.green(view.state) : view.state === 'failed' || view.state === 'cancelled' ? style.red(view.state) : style.yellow(view.state);
  const lines = [`build ${view.id}  ${state}`, `  template  ${view.templateName}${view.args.length ? `  args ${view.args.map((a) => JSON.stringify(a)).join(' ')}` : ''}`];
  if (view.packageName !== undefined) lines.push(`  package   ${view.packageName}`);
  lines.push(`  created   ${view.createdAt}${view.finishedAt ? `  finished ${view.finishedAt}` : ''}${view.startedAt && view.finishedAt ? `  (${formatDuration(Date.parse(view.finishedAt) - Date.parse(view.startedAt))})` : ''}`);
  const p = view.progress;
  lines.push(`  progress  ${p.exportsDone}/${p.exportsTotal} exports  ${formatQuantity(p.rows, 'row')}  ${formatBytes(p.bytes)}`);
  if (view.artifact !== undefined) lines.push(`  artifact  ${view.artifact.name}  ${formatBytes(view.artifact.size)}  sha256 ${view.artifact.sha256}`);
  if (view.error !== undefined) {
    lines.push(`  error     ${view.error.code}: ${view.error.message}`);
    for (const d of view.error.details ?? []) lines.push(`            - ${[d.field, d.line === undefined ? undefined : `line ${d.line}`].filter(Boolean).join(', ')}${d.field || d.line ? ': ' : ''}${d.message}`);
  }
  if (p.exports.length > 0) lines.push(...textTable(['  EXPORT', 'STATE', 'DETAIL'], p.exports.map((e) => [`  ${e.name}`, e.state, describeExport(e).slice(e.name.length).trim()])));
  return lines;
}
