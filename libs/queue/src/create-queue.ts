import { Queue } from 'bullmq';
import type { DefaultJobOptions } from 'bullmq';
import { defaultJobOptions } from './default-job-options.js';
import { checkQueueName, checkQueueTarget } from './queue-target.js';
import type { QueueTarget } from './queue-target.js';

/** Options of {@link createQueue}. */
export interface CreateQueueOptions extends QueueTarget {
  /** Merged over {@link defaultJobOptions}. */
  readonly jobOptions?: DefaultJobOptions;
  /** Called for errors the queue emits (lost connection…); without it they go to stderr. */
  readonly onError?: (error: Error) => void;
}

/**
 * A producer for queue `name` with hfit's default job options. Use a `queue`-role connection in
 * request paths (fails fast when Redis is down). Close it with `queueClosable` / `closeAll`.
 */
export function createQueue<Data = unknown, Result = unknown>(name: string, options: CreateQueueOptions): Queue<Data, Result> {
  const prefix = checkQueueTarget(options);
  const queue = new Queue<Data, Result>(checkQueueName(name), {
    connection: options.connection,
    prefix,
    defaultJobOptions: structuredClone({ ...defaultJobOptions, ...options.jobOptions }),
  });
  queue.on('error', options.onError ?? (() => undefined));
  return queue;
}
