import { HfitError } from '@hfit/contracts';
import type { ByteRange } from './object-store.js';
import { rangeNotSatisfiable } from './storage-errors.js';

/** Throws `STORAGE_RANGE_INVALID` unless `range` has whole, non-negative bounds with `end >= start`. */
export function assertByteRange(key: string, range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new HfitError('STORAGE_RANGE_INVALID', `Invalid range for ${JSON.stringify(key)}: start must be a whole number >= 0, got ${start}`);
  }
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) {
    throw new HfitError('STORAGE_RANGE_INVALID', `Invalid range for ${JSON.stringify(key)}: end must be a whole number >= start (${start}), got ${end}`);
  }
}

/**
 * The inclusive range to serve from an object of `size` bytes: `end` is clamped to the last byte,
 * as HTTP does. Throws `STORAGE_RANGE_INVALID` when `start` is at or past the end of the object.
 */
export function clampByteRange(key: string, range: ByteRange, size: number): { start: number; end: number } {
  if (range.start >= size) throw rangeNotSatisfiable(key, range.start, size);
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}
