import { HfitError } from '@hfit/contracts';
import type { Redis } from 'ioredis';

/**
 * Resolves once `connection` is ready (connected, dataset loaded). A `queue`-role connection has
 * no offline queue, so a command sent before this point fails at once ("Stream isn't writeable");
 * BullMQ waits by itself, direct callers (start-up checks, tests) call this first. Throws
 * `REDIS_UNREACHABLE` (transient) after `timeoutMs` or when the connection was closed.
 */
export async function waitForRedisReady(connection: Redis, timeoutMs = 10_000): Promise<void> {
  if (connection.status === 'ready') return;
  if (connection.status === 'end') {
    throw new HfitError('REDIS_UNREACHABLE', 'The Redis connection is closed', { permanent: false });
  }
  let lastError: Error | undefined;
  await new Promise<void>((resolve, reject) => {
    const onReady = (): void => {
      cleanup();
      resolve();
    };
    const onError = (e: Error): void => {
      lastError = e;
    };
    const onEnd = (): void => {
      cleanup();
      reject(new HfitError('REDIS_UNREACHABLE', 'The Redis connection was closed before it became ready', { permanent: false }));
    };
    const timer = setTimeout(() => {
      cleanup();
      const why = lastError === undefined ? '' : `: ${lastError.message}`;
      reject(
        new HfitError('REDIS_UNREACHABLE', `Redis was not ready within ${timeoutMs} ms${why}; check redis.url and that Redis is running`, {
          permanent: false,
          ...(lastError === undefined ? {} : { cause: lastError }),
        }),
      );
    }, timeoutMs);
    function cleanup(): void {
      clearTimeout(timer);
      connection.off('ready', onReady);
      connection.off('error', onError);
      connection.off('end', onEnd);
    }
    connection.on('ready', onReady);
    connection.on('error', onError);
    connection.on('end', onEnd);
  });
}
