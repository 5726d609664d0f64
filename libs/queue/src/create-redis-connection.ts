import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { queueOptionsInvalid } from './queue-options-invalid.js';

/**
 * What a connection is for.
 * - `queue`: producers in request paths (`Queue`, `FlowProducer`): commands fail fast when Redis is
 *   down, so an API request answers 503 instead of hanging.
 * - `worker`: consumers (`Worker`, `QueueEvents`): commands wait for Redis to come back. BullMQ
 *   duplicates this connection for its blocking commands and refuses one whose
 *   `maxRetriesPerRequest` is not `null`.
 */
export type RedisConnectionRole = 'queue' | 'worker';

/** Where Redis is: a `redis://` / `rediss://` URL, or host and port. */
export type RedisEndpoint = { readonly url: string } | { readonly host: string; readonly port?: number };

/** Options of {@link createRedisConnection}. Secrets (passwords in the URL) are never echoed in errors. */
export type RedisConnectionOptions = RedisEndpoint & {
  readonly role: RedisConnectionRole;
  /** Logical database; overrides the one in the URL. */
  readonly db?: number;
  readonly username?: string;
  readonly password?: string;
  /** `CLIENT SETNAME`, visible in `CLIENT LIST` (e.g. `hfit-worker:host-1`). */
  readonly connectionName?: string;
  /**
   * Called for every connection error. ioredis reconnects by itself; without a listener it prints
   * "Unhandled error event" on every attempt, so pass the logger here.
   */
  readonly onError?: (error: Error) => void;
};

/**
 * Retry delay BullMQ itself uses for connections it creates from options (1 s .. 20 s, growing
 * exponentially): a worker waiting for Redis to come back should not hammer it every 50 ms.
 */
function workerRetryDelay(times: number): number {
  return Math.max(Math.min(Math.exp(times), 20_000), 1_000);
}

/**
 * Creates an ioredis client configured the way BullMQ needs it for `role`, connecting at once.
 * Pass it as `connection` to the factories of this lib: BullMQ shares it for normal commands and
 * duplicates it for blocking ones, but never closes it, so close it yourself last (see
 * `redisClosable`). We always build the client ourselves because BullMQ can only create one from
 * options through `require('ioredis')`, which native ESM hosts may lack.
 */
export function createRedisConnection(options: RedisConnectionOptions): Redis {
  const { role, db, username, password, connectionName, onError } = options;
  if (role !== 'queue' && role !== 'worker') {
    throw queueOptionsInvalid('redis.role', role, "must be 'queue' (producers) or 'worker' (workers, QueueEvents)");
  }
  if (db !== undefined && (!Number.isInteger(db) || db < 0)) {
    throw queueOptionsInvalid('redis.db', db, 'must be an integer >= 0');
  }
  const common: RedisOptions = {
    // ready = the server finished loading its dataset; BullMQ waits for it before running scripts.
    enableReadyCheck: true,
    lazyConnect: false,
    ...(db === undefined ? {} : { db }),
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    ...(connectionName === undefined ? {} : { connectionName }),
    ...(role === 'worker'
      ? { maxRetriesPerRequest: null, enableOfflineQueue: true, retryStrategy: workerRetryDelay }
      : // A producer must fail fast: with no offline queue a command sent while disconnected is
        // rejected at once instead of waiting for a reconnect (BullMQ "Going to production" guide).
        { maxRetriesPerRequest: 1, enableOfflineQueue: false }),
  };
  let client: Redis;
  if ('url' in options) {
    if (typeof options.url !== 'string' || !/^rediss?:\/\//.test(options.url)) {
      // Never echo the URL: it may carry a password.
      throw queueOptionsInvalid('redis.url', typeof options.url, 'must be a redis:// or rediss:// URL');
    }
    client = new Redis(options.url, common);
  } else {
    const port = options.port ?? 6379;
    if (typeof options.host !== 'string' || options.host === '') {
      throw queueOptionsInvalid('redis.host', options.host, 'must be a non-empty host name or address');
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw queueOptionsInvalid('redis.port', port, 'must be an integer between 1 and 65535');
    }
    client = new Redis({ ...common, host: options.host, port });
  }
  // An 'error' event nobody listens to would be printed on every reconnect attempt; with a
  // listener, a lost Redis is just reconnected to.
  client.on('error', onError ?? (() => undefined));
  return client;
}
