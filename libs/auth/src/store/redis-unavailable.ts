import { HfitError } from '@hfit/contracts';

/**
 * Runs a Redis call, turning a failure (Redis down, connection lost) into a transient
 * `SERVICE_UNAVAILABLE` (503) that says what could not be done, instead of a 500.
 */
export async function orUnavailable<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new HfitError('SERVICE_UNAVAILABLE', `${what}: Redis is unavailable, retry in a moment`, { cause: err, permanent: false });
  }
}
