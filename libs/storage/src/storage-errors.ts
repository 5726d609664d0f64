import { HfitError } from '@hfit/contracts';

/** The error for a range that starts at or past the end of the object. */
export function rangeNotSatisfiable(key: string, start: number, size?: number): HfitError {
  const of = size === undefined ? '' : ` (${size} bytes)`;
  return new HfitError('STORAGE_RANGE_INVALID', `Range starting at byte ${start} is past the end of ${JSON.stringify(key)}${of}`);
}

/** The error for a missing object. */
export function objectNotFound(key: string): HfitError {
  return new HfitError('STORAGE_OBJECT_NOT_FOUND', `No object at ${JSON.stringify(key)}`);
}
