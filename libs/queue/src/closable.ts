import type { FlowProducer, Queue, QueueEvents, Worker } from 'bullmq';
import type { Redis } from 'ioredis';

/** One step of a shutdown, run by `closeAll`. */
export interface Closable {
  /** Names the step in the report, e.g. `worker hfit-build`. */
  readonly name: string;
  /** Graceful close (finish current work, then release resources). */
  close(): Promise<void>;
  /** Run when `close` failed or the overall timeout hit: drop everything now. */
  forceClose?(): Promise<void>;
}

/**
 * A worker as a shutdown step. Graceful close waits for the jobs in progress. `worker.close(true)`
 * returns the pending graceful promise when a graceful close already started, so forcing that case
 * disconnects the worker's connections instead: lock renewals stop and another worker re-runs
 * the job once its lock expires (at-least-once delivery).
 */
export function workerClosable(
  worker: Pick<Worker, 'name' | 'closing' | 'close' | 'disconnect'>,
  name = `worker ${worker.name}`,
): Closable {
  return {
    name,
    close: () => worker.close(),
    forceClose: async () => {
      if (worker.closing === undefined) await worker.close(true);
      else await worker.disconnect();
    },
  };
}

/** A queue, flow producer or queue-events listener as a shutdown step. */
export function queueClosable(q: Pick<Queue | FlowProducer | QueueEvents, 'close' | 'disconnect'>, name: string): Closable {
  return { name, close: () => q.close(), forceClose: () => q.disconnect() };
}

/**
 * An ioredis connection as a shutdown step; run it after everything that uses the connection
 * (BullMQ never closes a connection it was given). `QUIT` lets pending replies arrive;
 * forcing drops the socket.
 */
export function redisClosable(connection: Redis, name: string): Closable {
  return {
    name,
    close: async () => {
      if (connection.status === 'end') return;
      try {
        await connection.quit();
      } catch (e) {
        // Already closed by a forced BullMQ disconnect: nothing left to do.
        if (!(e instanceof Error && /Connection is closed/.test(e.message))) throw e;
      }
    },
    forceClose: async () => {
      connection.disconnect();
    },
  };
}
