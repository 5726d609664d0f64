import { pino } from 'pino';
import type { DestinationStream, LevelWithSilent, Logger } from 'pino';
import { logTeeDestination } from './log-tee.js';

/** Log field paths whose values are replaced by `***` (pino/fast-redact path syntax). */
export const REDACT_PATHS: readonly string[] = [
  'password',
  '*.password',
  'authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.cookie',
  'token',
  '*.token',
  'secret',
  '*.secret',
];

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Component name, logged as `name` on every line (`api`, `worker`, `engine`). */
  readonly name: string;
  /** Default `info`. */
  readonly level?: LevelWithSilent | undefined;
  /** Where JSON lines go; default stdout. Tests pass a stream they read back. */
  readonly destination?: DestinationStream | undefined;
  /** Extra paths to redact, added to {@link REDACT_PATHS}. */
  readonly redact?: readonly string[] | undefined;
}

/**
 * A pino logger writing JSON lines with ISO timestamps, redacting passwords, tokens, secrets and
 * authorization headers (see {@link REDACT_PATHS}). Callers pass `level` from the loaded config or
 * CLI flags.
 *
 * When the test runner sets `HFIT_LOG_TEE_DIR` (see {@link logTeeDestination}), every line of every
 * level (trace and up) is also appended to `<dir>/<name>.<pid>.log`, whatever `level` and
 * `destination` say: the log scan after the test suite then sees what silent and captured loggers
 * would have written. The destination still receives only lines at `level` and above.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const level = options.level ?? 'info';
  const settings = {
    name: options.name,
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACT_PATHS, ...(options.redact ?? [])], censor: '***' },
  };
  const tee = logTeeDestination(options.name);
  if (tee === undefined) return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
  // Redaction runs when a line is serialised, before multistream hands it to each stream: the
  // tee file never sees more than the destination would.
  const destination = options.destination ?? pino.destination({ dest: process.stdout.fd ?? 1, sync: false });
  const streams = pino.multistream([
    { level, stream: destination },
    { level: 'trace', stream: tee },
  ]);
  return pino({ ...settings, level: 'trace' }, streams);
}

export type { Logger };
