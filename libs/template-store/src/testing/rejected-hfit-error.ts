import { isHfitError } from '@hfit/contracts';
import type { ErrorCode, HfitError } from '@hfit/contracts';

/**
 * Awaits `promise` and returns the {@link HfitError} with `code` it rejects with, so a test can
 * assert on its message and details. Fails when it resolves or rejects with anything else.
 */
export async function rejectedHfitError(promise: Promise<unknown>, code: ErrorCode): Promise<HfitError> {
  const outcome = await promise.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected HfitError ${code}, but the promise resolved`);
  const { error } = outcome;
  if (!isHfitError(error, code)) {
    throw new Error(`expected HfitError ${code}, got ${isHfitError(error) ? `${error.code}: ${error.message}` : String(error)}`);
  }
  return error;
}
