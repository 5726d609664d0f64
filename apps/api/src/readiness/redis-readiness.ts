import { HfitError } from '@hfit/contracts';
import type { ReadinessCheck } from './readiness-check.js';

/**
 * Redis answers `PING`. Meant for the API's `queue`-role connection, which has no offline queue:
 * while Redis is down the command fails at once instead of waiting for a reconnect.
 */
export function redisReadiness(connection: { ping(): Promise<string> }): ReadinessCheck {
  return async () => {
    let reply: string;
    try {
      reply = await connection.ping();
    } catch (err) {
      throw new HfitError('REDIS_UNREACHABLE', 'Redis did not answer PING', { cause: err, permanent: false });
    }
    if (reply !== 'PONG') throw new HfitError('REDIS_UNREACHABLE', 'Redis answered PING with something else than PONG', { permanent: false });
  };
}
