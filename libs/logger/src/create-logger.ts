import { pino } from 'pino';
import type { DestinationStream, LevelWithSilent, Logger } from 'pino';

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
 * authorization headers (see {@link REDACT_PATHS}). Reads no environment: callers pass `level`
 * from the loaded config or CLI flags.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const settings = {
    name: options.name,
    level: options.level ?? 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACT_PATHS, ...(options.redact ?? [])], censor: '***' },
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
}

export type { Logger };
