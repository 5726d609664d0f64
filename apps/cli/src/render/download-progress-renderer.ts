import { formatBytes } from './format-units.js';
import type { ProgressLine } from './progress-line.js';

/** What a download reports as it goes (`downloadBuildArtifact`'s `onProgress`). */
export interface DownloadProgressEvent {
  readonly received: number;
  readonly total: number;
  readonly resumedFrom: number;
}

const BAR_WIDTH = 24;

/**
 * A download's progress: a bar rewritten in place on a terminal, a plain line at each quarter
 * elsewhere; says when it resumed after bytes kept from an interrupted attempt.
 */
export class DownloadProgressRenderer {
  constructor(
    private readonly progress: ProgressLine,
    private readonly name: string,
  ) {}

  /** Call with every progress event. */
  onProgress(e: DownloadProgressEvent): void {
    const fraction = e.total === 0 ? 1 : Math.min(1, e.received / e.total);
    const percent = Math.floor(fraction * 100);
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = this.progress.mode === 'tty' ? `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ` : '';
    const resumed = e.resumedFrom > 0 ? `  (resumed after ${formatBytes(e.resumedFrom)})` : '';
    this.progress.update(`downloading ${this.name}  ${bar}${percent}%  ${formatBytes(e.received)} / ${formatBytes(e.total)}${resumed}`, String(Math.floor(percent / 25)));
  }

  /** Removes the bar (before the result is printed). */
  finish(): void {
    this.progress.clear();
  }
}
