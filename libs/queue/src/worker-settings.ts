import { queueOptionsInvalid } from './queue-options-invalid.js';

/** Tunables of a worker; every field is optional in `createWorker` and defaulted here. */
export interface WorkerSettings {
  /**
   * Jobs one worker process runs at once. Default 1: a build streams whole tables and holds source
   * connections, so scale with more worker processes (`--scale worker=N`), not more concurrency.
   */
  readonly concurrency: number;
  /**
   * How long a job's lock lives, in ms. Default 30 s (BullMQ's). BullMQ renews it every
   * `lockDuration / 2` while the processor runs, so long builds keep it as long as the event loop
   * is never blocked for 15 s; a killed worker's lock simply expires.
   */
  readonly lockDuration: number;
  /**
   * How often this worker looks for jobs whose lock expired, in ms. Default 15 s (BullMQ: 30 s):
   * a job whose worker died is re-queued at most `lockDuration + stalledInterval` (45 s) later,
   * for one cheap Lua script per interval per worker.
   */
  readonly stalledInterval: number;
  /**
   * How many times a job may be recovered from a stall before it fails. Default 1 (BullMQ's): a
   * job that kills its worker twice (out-of-memory on a huge table) fails instead of taking down
   * every worker in turn.
   */
  readonly maxStalledCount: number;
}

/** The defaults documented on {@link WorkerSettings}. */
export const DEFAULT_WORKER_SETTINGS: Readonly<WorkerSettings> = Object.freeze({
  concurrency: 1,
  lockDuration: 30_000,
  stalledInterval: 15_000,
  maxStalledCount: 1,
});

function integerAtLeast(field: string, value: unknown, min: number, unit: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw queueOptionsInvalid(`worker.${field}`, value, `must be an integer >= ${min}${unit}`);
  }
  return value;
}

/**
 * Merges `given` over {@link DEFAULT_WORKER_SETTINGS} once and validates every field, throwing
 * `QUEUE_OPTIONS_INVALID` naming the first bad field and the fix.
 */
export function resolveWorkerSettings(given: Partial<WorkerSettings> = {}): WorkerSettings {
  const merged = { ...DEFAULT_WORKER_SETTINGS, ...stripUndefined(given) };
  const settings: WorkerSettings = {
    concurrency: integerAtLeast('concurrency', merged.concurrency, 1, ''),
    // Below 1 s the lock can expire between two renewals under ordinary event-loop jitter, and
    // the same job would run twice in parallel.
    lockDuration: integerAtLeast('lockDuration', merged.lockDuration, 1_000, ' ms (locks shorter than 1 s expire under normal jitter)'),
    stalledInterval: integerAtLeast('stalledInterval', merged.stalledInterval, 100, ' ms'),
    maxStalledCount: integerAtLeast('maxStalledCount', merged.maxStalledCount, 0, ''),
  };
  if (settings.concurrency > 1_000) {
    throw queueOptionsInvalid('worker.concurrency', settings.concurrency, 'must be at most 1000; run more worker processes instead');
  }
  return settings;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
