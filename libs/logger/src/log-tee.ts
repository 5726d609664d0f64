import path from 'node:path';
import { pino } from 'pino';
import type { DestinationStream } from 'pino';

/**
 * Environment variable naming the folder where every logger of the process also writes all its
 * lines (test runs only: `npm test` sets it, then scans the folder for leaked secrets).
 */
export const LOG_TEE_DIR_ENV = 'HFIT_LOG_TEE_DIR';

/** One file stream per path: loggers of the same name in one process share it. */
const streams = new Map<string, DestinationStream>();

/** `name` made safe as a file name part. */
function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80) || 'log';
}

/**
 * The tee file of logger `name` in this process (`$HFIT_LOG_TEE_DIR/<name>.<pid>.log`, appended
 * to, written synchronously so a killed process loses nothing), or undefined when the variable is
 * not set.
 *
 * This reads `process.env` outside the config on purpose: it is test instrumentation that must
 * reach every logger — in-process apps, libraries, worker child processes (which inherit the
 * environment) — without each of them being told.
 */
export function logTeeDestination(name: string): DestinationStream | undefined {
  const dir = process.env[LOG_TEE_DIR_ENV];
  if (dir === undefined || dir === '') return undefined;
  const file = path.join(path.resolve(dir), `${fileSafe(name)}.${process.pid}.log`);
  let stream = streams.get(file);
  if (stream === undefined) {
    stream = pino.destination({ dest: file, sync: true, append: true, mkdir: true });
    streams.set(file, stream);
  }
  return stream;
}
