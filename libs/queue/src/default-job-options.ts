import type { DefaultJobOptions } from 'bullmq';

/**
 * Job options every hfit queue applies unless a job overrides them (`createQueue` passes a copy).
 * - 3 attempts with exponential backoff from 1 s (1 s, then 2 s): rides out a Redis failover or a
 *   source database restart; permanent failures skip retries via `UnrecoverableError`.
 * - Finished jobs are trimmed (BullMQ keeps them forever by default, and Redis runs with
 *   `noeviction`, so an untrimmed queue ends in OOM errors): completed jobs for a day (at most
 *   1000), failed jobs for a week (at most 5000) so failures stay inspectable. The build catalogue
 *   lives in object storage, not in these job records.
 */
export const defaultJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5_000 },
} as const satisfies DefaultJobOptions;
