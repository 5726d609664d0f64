import { HfitError, type ErrorDetail } from '@hfit/contracts';
import type { ImportedTable } from '../import-report.js';
import type { FailurePoint } from './file-failure.js';

/**
 * `IMPORT_FAILED` raised by `importPackage` when a statement or row batch fails. `message` names
 * the file, the statement (or batch) number, its line and the start of the statement, and says
 * what was rolled back; `details` list the failure, then every table committed before it.
 */
export class ImportFailedError extends HfitError {
  /** Where it failed. */
  readonly point: FailurePoint;
  /** Tables committed before the failure (they stay imported). */
  readonly imported: readonly ImportedTable[];

  /**
   * @param message the whole story: target, file, statement, reason, what was rolled back and kept.
   * @param summary the failure alone (file, statement, reason, statement start), the first detail.
   */
  constructor(point: FailurePoint, message: string, summary: string, imported: readonly ImportedTable[], cause: unknown) {
    const details: ErrorDetail[] = [
      { field: point.file, ...(point.line === undefined ? {} : { line: point.line }), message: summary },
      ...imported.map((t) => ({ field: 'imported', message: `${t.table}: ${t.rows} rows from ${t.file}` })),
    ];
    super('IMPORT_FAILED', message, { details, field: point.file, ...(point.line === undefined ? {} : { line: point.line }), cause });
    this.point = point;
    this.imported = imported;
  }
}
