import { ExitCode, type ExitCodeValue } from '../exit-codes.js';

/** Options of {@link CliError}. */
export interface CliErrorOptions {
  /** Process exit code (default {@link ExitCode.general}). */
  readonly exitCode?: ExitCodeValue;
  /** Stable machine-readable code, shown as `(CODE)` and in `--json` errors. */
  readonly code?: string;
  /** One more line telling the user what to do next. */
  readonly hint?: string;
  /** Extra fields of the `--json` error (the failed build, the problems found…). */
  readonly data?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/**
 * A failure a command reports on purpose: one line on stderr (`hfit: <message> (<code>)`), an
 * optional hint line, and an exit code from {@link ExitCode}.
 */
export class CliError extends Error {
  readonly exitCode: ExitCodeValue;
  readonly code: string | undefined;
  readonly hint: string | undefined;
  readonly data: Readonly<Record<string, unknown>>;

  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? ExitCode.general;
    this.code = options.code;
    this.hint = options.hint;
    this.data = options.data ?? {};
  }
}

/** A {@link CliError} with exit code {@link ExitCode.usage}. */
export function usageError(message: string, hint?: string): CliError {
  return new CliError(message, { exitCode: ExitCode.usage, code: 'USAGE', ...(hint === undefined ? {} : { hint }) });
}
