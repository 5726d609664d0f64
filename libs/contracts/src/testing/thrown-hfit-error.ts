import { HfitError } from '../hfit-error.js';

/**
 * Runs `fn` and returns the {@link HfitError} it throws, so a test can assert on its `code`,
 * `message` and `details`. Any other error is rethrown; returning normally fails the test. For
 * synchronous code only: a returned promise counts as "nothing thrown".
 */
export function thrownHfitError(fn: () => unknown): HfitError {
  try {
    fn();
  } catch (e) {
    if (e instanceof HfitError) return e;
    throw e;
  }
  throw new Error('expected an HfitError, but nothing was thrown');
}

/**
 * Awaits `promise` and returns the {@link HfitError} it rejects with (the asynchronous
 * {@link thrownHfitError}). Any other rejection is rethrown; fulfilling fails the test.
 */
export async function rejectedHfitError(promise: Promise<unknown>): Promise<HfitError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof HfitError) return e;
    throw e;
  }
  throw new Error('expected an HfitError, but the promise fulfilled');
}
