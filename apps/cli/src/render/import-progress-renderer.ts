import type { ImportEvent } from '@hfit/import';
import { formatBytes, formatCount, formatDuration, formatQuantity } from './format-units.js';
import type { ProgressLine } from './progress-line.js';

/**
 * Shows an import as it happens: a line per finished file (rows, statements or bytes, time) and,
 * on a terminal, the rows of the table being loaded rewritten in place.
 */
export class ImportProgressRenderer {
  constructor(private readonly progress: ProgressLine) {}

  /** `importPackage`'s `onProgress`. */
  onEvent(e: ImportEvent): void {
    switch (e.type) {
      case 'verified':
        this.progress.note(`verified ${e.files} files (${formatBytes(e.bytes)}) against the manifest`);
        break;
      case 'file-skipped':
        this.progress.note(`  skipped  ${e.file}: ${e.reason}`);
        break;
      case 'file-started':
        this.progress.update(`${e.kind === 'data' ? 'loading' : e.kind === 'ddl' ? 'running' : 'copying'} ${e.file}${e.table ? ` -> ${e.table}` : ''}`, `start ${e.file}`);
        break;
      case 'rows':
        this.progress.update(`loading ${e.file} -> ${e.table}  ${formatCount(e.rows)}${e.expected === undefined ? '' : `/${formatCount(e.expected)}`} rows`, `start ${e.file}`);
        break;
      case 'file-done': {
        const what = e.kind === 'data' ? formatQuantity(e.rows ?? 0, 'row') : e.kind === 'ddl' ? formatQuantity(e.statements ?? 0, 'statement') : formatBytes(e.bytes ?? 0);
        this.progress.note(`  ${e.kind.padEnd(6)} ${e.file}${e.table ? ` -> ${e.table}` : ''}  ${what}  ${formatDuration(e.durationMs)}`);
        break;
      }
      case 'table-committed':
        break;
    }
  }

  /** Removes the rewritten line (before the report is printed). */
  finish(): void {
    this.progress.clear();
  }
}
