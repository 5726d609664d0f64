import { QueueEvents } from 'bullmq';
import { queueOptionsInvalid } from './queue-options-invalid.js';
import { checkQueueName, checkQueueTarget } from './queue-target.js';
import type { QueueTarget } from './queue-target.js';

/** Options of {@link createQueueEvents}. */
export interface CreateQueueEventsOptions extends QueueTarget {
  /** Called for errors the listener emits; without it they go to stderr. */
  readonly onError?: (error: Error) => void;
}

/**
 * Listens to a queue's event stream (progress, completed, failed…) from any process. It blocks on
 * `XREAD`, so it needs a `worker`-role connection. It only sees events emitted after it is
 * ready: `await events.waitUntilReady()` before adding jobs you want to follow. Request paths
 * should poll the build state instead of waiting on these events.
 */
export function createQueueEvents(name: string, options: CreateQueueEventsOptions): QueueEvents {
  const prefix = checkQueueTarget(options);
  if (options.connection.options.maxRetriesPerRequest !== null) {
    throw queueOptionsInvalid(
      'connection',
      `maxRetriesPerRequest ${String(options.connection.options.maxRetriesPerRequest)}`,
      "must be created with createRedisConnection({ role: 'worker' }) (QueueEvents blocks on XREAD)",
    );
  }
  const events = new QueueEvents(checkQueueName(name), { connection: options.connection, prefix });
  events.on('error', options.onError ?? (() => undefined));
  return events;
}
