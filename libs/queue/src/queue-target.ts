import type { Redis } from 'ioredis';
import { queueOptionsInvalid } from './queue-options-invalid.js';

/** Where a queue, flow producer or worker lives: a Redis connection and a key prefix. */
export interface QueueTarget {
  /** From `createRedisConnection`; shared, never closed by BullMQ. */
  readonly connection: Redis;
  /**
   * Prefix of every BullMQ key (`<prefix>:<queue>:…`). Defaults to `hfit`; tests use a unique one
   * per test so they can run against a shared Redis and clean up after themselves.
   */
  readonly prefix?: string;
}

/** The prefix used when none is given. */
export const DEFAULT_QUEUE_PREFIX = 'hfit';

/** Validates a queue name the way BullMQ does, but naming the field and the fix. */
export function checkQueueName(name: unknown): string {
  if (typeof name !== 'string' || name === '' || name.includes(':')) {
    throw queueOptionsInvalid('queue name', name, 'must be a non-empty string without ":" (use QUEUE_NAMES)');
  }
  return name;
}

/** Validates the target and returns the prefix to use. */
export function checkQueueTarget(target: QueueTarget): string {
  const prefix = target.prefix ?? DEFAULT_QUEUE_PREFIX;
  if (typeof prefix !== 'string' || prefix === '' || /\s/.test(prefix)) {
    throw queueOptionsInvalid('prefix', prefix, 'must be a non-empty string without spaces');
  }
  if (typeof target.connection !== 'object' || target.connection === null || typeof target.connection.duplicate !== 'function') {
    throw queueOptionsInvalid('connection', target.connection, 'must be an ioredis client from createRedisConnection()');
  }
  if (target.connection.options.keyPrefix) {
    // BullMQ rejects ioredis keyPrefix: its Lua scripts build keys themselves.
    throw queueOptionsInvalid('connection.keyPrefix', target.connection.options.keyPrefix, 'must be unset; use the prefix option');
  }
  return prefix;
}
