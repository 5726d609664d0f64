import type { BuildView, ExportProgress } from '@hfit/contracts';
import { formatBytes, formatDuration, formatQuantity } from './format-units.js';
import type { ProgressLine } from './progress-line.js';
import type { Style } from './style.js';

/** `orders.data.sql  1,234 rows  56 kB  0.4 s`. */
export function describeExport(e: ExportProgress): string {
  const parts = [e.name];
  if (e.type === 'table-data' || e.rows > 0) parts.push(formatQuantity(e.rows, 'row'));
  parts.push(formatBytes(e.bytes));
  if (e.durationMs !== undefined) parts.push(formatDuration(e.durationMs));
  return parts.join('  ');
}

/** `running  3/7 exports  12,345 rows  4.2 MB`. */
export function describeBuildProgress(view: BuildView): string {
  const p = view.progress;
  const total = p.exportsTotal > 0 ? `  ${p.exportsDone}/${p.exportsTotal} exports` : '';
  return `${view.state}${total}  ${formatQuantity(p.rows, 'row')}  ${formatBytes(p.bytes)}`;
}

/**
 * Shows a build's progress from its polled views: a line per export as it finishes (rows, bytes,
 * time), and a status line (state, exports done, total rows and bytes, what is running) that is
 * rewritten on a terminal and printed on each change of state or export count elsewhere.
 */
export class BuildProgressRenderer {
  private readonly finished = new Set<string>();

  constructor(
    private readonly progress: ProgressLine,
    private readonly style: Style,
  ) {}

  /** Call with every polled view (`waitForBuild`'s `onPoll`). */
  onPoll(view: BuildView): void {
    for (const e of view.progress.exports) {
      if ((e.state !== 'done' && e.state !== 'failed') || this.finished.has(e.name)) continue;
      this.finished.add(e.name);
      const mark = e.state === 'done' ? this.style.green('done') : this.style.red('failed');
      this.progress.note(`  ${mark}  ${describeExport(e)}`);
    }
    const running = view.progress.exports.filter((e) => e.state === 'running');
    const current = running.length === 0 ? '' : `  [${running.map((e) => (e.type === 'table-data' ? `${e.name} ${formatQuantity(e.rows, 'row')}` : e.name)).join(', ')}]`;
    this.progress.update(`build ${view.id}  ${describeBuildProgress(view)}${current}`, `${view.state} ${view.progress.exportsDone}/${view.progress.exportsTotal}`);
  }

  /** Removes the status line (before the result is printed). */
  finish(): void {
    this.progress.clear();
  }
}
