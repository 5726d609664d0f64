import { HfitError, isHfitError, JobFailureSchema } from '@hfit/contracts';
import type { JobFailure } from '@hfit/contracts';
import { UnrecoverableError } from 'bullmq';
import { isTransientError } from './is-transient-error.js';

/**
 * Marks a `failedReason` that carries a {@link JobFailure}: `hfit-error:` followed by its JSON.
 * BullMQ stores only `err.message` (as `failedReason`) and the stack, so the code and location of
 * an {@link HfitError} travel inside the message. The prefix keeps plain BullMQ reasons ("job
 * stalled more than allowable limit") distinguishable.
 */
export const JOB_FAILURE_PREFIX = 'hfit-error:';

/**
 * BullMQ control-flow errors a processor throws on purpose (move to delayed, wait for children,
 * rate limit): they must reach BullMQ untouched.
 */
const BULLMQ_CONTROL_ERRORS = new Set(['DelayedError', 'WaitingChildrenError', 'WaitingError', 'RateLimitError']);

/**
 * What a processor should throw for `err`:
 * - permanent failures (see {@link isTransientError}) become a BullMQ `UnrecoverableError`, so the
 *   job fails at once without using its remaining attempts;
 * - transient ones stay plain errors, so BullMQ retries them with backoff;
 * in both cases the message is `hfit-error:{"code":…,"message":…}` (read it back with
 * {@link readJobFailure}), the original error is the `cause` and its stack is kept.
 * Non-hfit errors get code `JOB_FAILED` with their name, code and message.
 * BullMQ control errors and errors already converted are returned unchanged.
 */
export function toJobFailure(err: unknown): Error {
  if (err instanceof Error && (BULLMQ_CONTROL_ERRORS.has(err.name) || err.message.startsWith(JOB_FAILURE_PREFIX))) {
    return err;
  }
  const transient = isTransientError(err);
  const failure = describeFailure(err);
  const message = JOB_FAILURE_PREFIX + JSON.stringify(failure);
  const wrapped = transient ? new Error(message, { cause: err }) : new UnrecoverableError(message);
  if (!transient) (wrapped as { cause?: unknown }).cause = err;
  // Keep the original frames: BullMQ stores `stack` in the job's stacktrace list for debugging.
  if (err instanceof Error && typeof err.stack === 'string') {
    const frames = err.stack.split('\n').filter((l) => /^\s+at /.test(l));
    wrapped.stack = [`${wrapped.name}: ${message}`, ...frames].join('\n');
  }
  return wrapped;
}

function describeFailure(err: unknown): JobFailure {
  if (isHfitError(err)) return err.toJSON();
  if (!(err instanceof Error)) return { code: 'JOB_FAILED', message: String(err) };
  const code = (err as { code?: unknown }).code;
  return { code: 'JOB_FAILED', message: `${err.name}${typeof code === 'string' ? ` (${code})` : ''}: ${err.message}` };
}

/**
 * Decodes a failed job's `failedReason` into `{code, message, …}` for the API. Reasons that were
 * not produced by {@link toJobFailure} (BullMQ's own, e.g. a job stalled too often) come back as
 * code `JOB_FAILED` with the reason as the message.
 */
export function readJobFailure(failedReason: string | undefined): JobFailure {
  const reason = failedReason ?? '';
  if (reason.startsWith(JOB_FAILURE_PREFIX)) {
    try {
      const parsed = JobFailureSchema.safeParse(JSON.parse(reason.slice(JOB_FAILURE_PREFIX.length)));
      if (parsed.success) return parsed.data;
    } catch {
      // Truncated or foreign JSON: fall through to the plain form.
    }
  }
  return { code: 'JOB_FAILED', message: reason === '' ? 'The job failed without a reason' : reason };
}

/** Rebuilds the {@link HfitError} a failed job carried, e.g. to rethrow it in a parent job. */
export function jobFailureToError(failure: JobFailure): HfitError {
  return new HfitError(failure.code, failure.message, {
    ...(failure.details === undefined ? {} : { details: failure.details }),
    ...(failure.field === undefined ? {} : { field: failure.field }),
    ...(failure.line === undefined ? {} : { line: failure.line }),
  });
}
