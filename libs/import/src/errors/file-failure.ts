import { isHfitError } from '@hfit/contracts';

/** Most characters of a server or driver message an import error repeats. */
const REASON_CHARS = 300;

/** Where in a package file an import failed. */
export interface FailurePoint {
  /** Package path of the file. */
  readonly file: string;
  /** 1-based statement number: of the script (sql/copy files) or of the INSERT batches made (csv/ndjson files). */
  readonly statement?: number | undefined;
  /** `batch` when the statement is an INSERT built from csv/ndjson rows. */
  readonly unit?: 'statement' | 'batch' | undefined;
  /** 1-based line of the file where that statement or batch starts. */
  readonly line?: number | undefined;
  /** The start of the statement, see `statementExcerpt`. */
  readonly excerpt?: string | undefined;
}

/**
 * A failure inside one package file, raised by the file runners and turned into the public
 * `IMPORT_FAILED` error by the import (which knows what was imported before it).
 */
export class FileFailure extends Error {
  constructor(
    readonly point: FailurePoint,
    readonly reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(`${point.file}: ${reason}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FileFailure';
  }
}

/** The reason to report for an error a server, driver or parser raised: its message, shortened. */
export function failureReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  const prefix = typeof code === 'string' && !isHfitError(err) && !text.includes(code) ? `${code}: ` : '';
  const flat = `${prefix}${text}`.replace(/\s+/g, ' ').trim();
  return flat.length > REASON_CHARS ? `${flat.slice(0, REASON_CHARS - 1)}…` : flat;
}

/** Whether an error is the reason of an abort (the caller's signal), which is rethrown as is. */
export function isAbort(err: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && (err === signal.reason || (err instanceof Error && err.name === 'AbortError'));
}
