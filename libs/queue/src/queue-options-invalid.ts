import { HfitError } from '@hfit/contracts';

/**
 * The error for a bad queue/worker/connection option: names the field, what was given and the fix,
 * the way BullMQ's own constructor checks do, but as a stable {@link HfitError} code.
 */
export function queueOptionsInvalid(field: string, got: unknown, fix: string): HfitError {
  return new HfitError('QUEUE_OPTIONS_INVALID', `${field} ${fix} (got ${describe(got)})`, { field });
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === undefined || v === null) return String(v);
  return typeof v;
}
