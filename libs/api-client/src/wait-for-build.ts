import { isFinalBuildState } from '@hfit/contracts';
import type { BuildView } from '@hfit/contracts';
import { ApiError } from './api-error.js';
import { ApiUnreachableError } from './api-unreachable-error.js';
import { BuildWaitTimeoutError } from './build-wait-timeout-error.js';
import type { BuildsApi } from './builds-api.js';

/** Options of {@link waitForBuild}. */
export interface WaitForBuildOptions {
  /** Pause between polls, in ms (default 1000). */
  readonly intervalMs?: number;
  /** Give up after this many ms with {@link BuildWaitTimeoutError} (default: wait as long as it takes). */
  readonly timeoutMs?: number;
  /** Stops waiting (rejects with the signal's reason); the build keeps running. */
  readonly signal?: AbortSignal;
  /** Called with every state read, final one included (progress display). */
  readonly onPoll?: (view: BuildView) => void | Promise<void>;
  /**
   * Failed polls in a row tolerated when the failure is transient (API unreachable, HTTP
   * 502/503/504), e.g. during an API restart. Default 5.
   */
  readonly maxTransientErrors?: number;
}

function isTransient(e: unknown): boolean {
  return e instanceof ApiUnreachableError || (e instanceof ApiError && [502, 503, 504].includes(e.status));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Polls a build until it reaches a final state (`succeeded`, `failed` or `cancelled`) and resolves
 * with that view, whichever it is: the caller decides what a failure means. Throws
 * {@link BuildWaitTimeoutError} after `timeoutMs`, the signal's reason when aborted, and any
 * non-transient API error (e.g. `BUILD_NOT_FOUND`) at once.
 */
export async function waitForBuild(client: { readonly builds: Pick<BuildsApi, 'get'> }, id: string, options: WaitForBuildOptions = {}): Promise<BuildView> {
  const { intervalMs = 1000, timeoutMs, signal, onPoll, maxTransientErrors = 5 } = options;
  const deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
  let lastView: BuildView | undefined;
  let transientErrors = 0;
  for (;;) {
    signal?.throwIfAborted();
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new BuildWaitTimeoutError(id, timeoutMs!, lastView);
    // The poll itself is bounded by the deadline too: a hanging request must not outlive it.
    const timeout = Number.isFinite(remaining) ? AbortSignal.timeout(remaining) : undefined;
    const pollSignal = timeout === undefined ? signal : signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    let view: BuildView | undefined;
    try {
      view = await client.builds.get(id, pollSignal === undefined ? {} : { signal: pollSignal });
      transientErrors = 0;
    } catch (err) {
      signal?.throwIfAborted();
      if (timeout?.aborted === true) throw new BuildWaitTimeoutError(id, timeoutMs!, lastView);
      if (!isTransient(err) || ++transientErrors > maxTransientErrors) throw err;
    }
    if (view !== undefined) {
      lastView = view;
      await onPoll?.(view);
      if (isFinalBuildState(view.state)) return view;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new BuildWaitTimeoutError(id, timeoutMs!, lastView);
    await sleep(Math.min(intervalMs, left), signal);
  }
}
