import { Worker } from 'bullmq';
import type { Job, Processor } from 'bullmq';
import { toJobFailure } from './job-failure.js';
import { queueOptionsInvalid } from './queue-options-invalid.js';
import { checkQueueName, checkQueueTarget } from './queue-target.js';
import type { QueueTarget } from './queue-target.js';
import { resolveWorkerSettings } from './worker-settings.js';
import type { WorkerSettings } from './worker-settings.js';

/** Options of {@link createWorker}: where, plus the tunables of {@link WorkerSettings}. */
export interface CreateWorkerOptions extends QueueTarget, Partial<WorkerSettings> {
  /** Stored on every job this worker takes (`job.processedBy`), e.g. `hostname:pid`. */
  readonly workerName?: string;
  /** Start fetching jobs at once (default) or wait for `worker.run()`. */
  readonly autorun?: boolean;
  /** Called for errors the worker emits (lost connection, failed lock renewal…). */
  readonly onError?: (error: Error) => void;
}

/**
 * A worker for queue `name`. The processor's errors go through `toJobFailure`, so a processor
 * just throws what it caught: permanent failures fail the job at once with a readable
 * `{code, message}`, transient ones are retried with backoff. The connection must have the
 * `worker` role (BullMQ duplicates it for blocking commands and needs `maxRetriesPerRequest: null`).
 */
export function createWorker<Data = unknown, Result = unknown>(
  name: string,
  processor: Processor<Data, Result>,
  options: CreateWorkerOptions,
): Worker<Data, Result> {
  const prefix = checkQueueTarget(options);
  if (options.connection.options.maxRetriesPerRequest !== null) {
    throw queueOptionsInvalid(
      'connection',
      `maxRetriesPerRequest ${String(options.connection.options.maxRetriesPerRequest)}`,
      "must be created with createRedisConnection({ role: 'worker' }) (BullMQ needs maxRetriesPerRequest: null)",
    );
  }
  if (typeof processor !== 'function') {
    throw queueOptionsInvalid('processor', processor, 'must be a function (job, token, signal) => Promise<result>');
  }
  const settings = resolveWorkerSettings(options);
  // Three declared parameters: BullMQ passes an AbortSignal only to processors whose `length` >= 3.
  const wrapped = async (job: Job<Data, Result>, token?: string, signal?: AbortSignal): Promise<Result> => {
    try {
      return await processor(job, token, signal);
    } catch (e) {
      throw toJobFailure(e);
    }
  };
  const worker = new Worker<Data, Result>(checkQueueName(name), wrapped, {
    connection: options.connection,
    prefix,
    ...settings,
    ...(options.workerName === undefined ? {} : { name: options.workerName }),
    ...(options.autorun === undefined ? {} : { autorun: options.autorun }),
  });
  worker.on('error', options.onError ?? (() => undefined));
  return worker;
}
