/**
 * BullMQ queue names shared by the API (producer) and the workers (consumers). Changing a value
 * orphans the jobs already waiting under the old name, so add a new queue instead of renaming one.
 * Names may not contain `:` (BullMQ uses it as the key separator).
 */
export const QUEUE_NAMES = {
  /** One job per package build (the parent of a flow when a build fans out). */
  build: 'hfit-build',
  /** One job per export of a build that fans out (children of the build job). */
  export: 'hfit-export',
  /** Periodic upkeep: catalogue rebuild, retention, staging cleanup (one job scheduler). */
  maintenance: 'hfit-maintenance',
} as const;

/** One of the values of {@link QUEUE_NAMES}. */
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];
