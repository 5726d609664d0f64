import type { Closable } from './closable.js';

/** How one step ended: graceful phase, then (when it timed out, failed or was never reached) forcing. */
export interface CloseStepReport {
  readonly name: string;
  /** `not-started`: the overall timeout had passed before this step's turn. */
  readonly outcome: 'closed' | 'failed' | 'timed-out' | 'not-started';
  readonly error?: unknown;
  /** Outcome of the force phase, when it ran for this step. */
  readonly forced?: 'closed' | 'failed' | 'timed-out';
  readonly forceError?: unknown;
}

/** What {@link closeAll} did. */
export interface CloseReport {
  /** Every step closed gracefully. */
  readonly ok: boolean;
  readonly steps: readonly CloseStepReport[];
  /** One line per step that did not close gracefully, for the log. */
  readonly problems: readonly string[];
}

/** Options of {@link closeAll}. */
export interface CloseAllOptions {
  /** Budget of the graceful phase for all steps together, in ms. */
  readonly timeoutMs: number;
  /** Budget of the force phase, in ms (default 1000). `closeAll` returns within the sum of both. */
  readonly forceTimeoutMs?: number;
}

type Settled = { kind: 'done' } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

async function settleWithin(run: () => Promise<void>, ms: number): Promise<Settled> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), Math.max(0, ms));
  });
  // Promise.resolve().then: a close() that throws synchronously is a failure, not a crash; the
  // catch also keeps a close() that rejects after its timeout from becoming an unhandled rejection.
  const work = Promise.resolve()
    .then(run)
    .then(
      (): Settled => ({ kind: 'done' }),
      (error: unknown): Settled => ({ kind: 'error', error }),
    );
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Shuts down `closables` in order (workers, then queues, then connections), and never throws.
 * Every step runs even when earlier ones fail. The graceful phase has an overall budget of
 * `timeoutMs` because `worker.close()` waits for the jobs in progress and can hang; when the budget
 * runs out, the step in progress is reported as timed out and it and every later step are forced
 * (`forceClose`, or `close` when a step has none) within `forceTimeoutMs`. Failed steps are forced
 * too. Exit the process after a report that is not `ok`: a hung processor may still be running.
 */
export async function closeAll(closables: readonly Closable[], options: CloseAllOptions): Promise<CloseReport> {
  const { timeoutMs, forceTimeoutMs = 1_000 } = options;
  const deadline = Date.now() + timeoutMs;
  const steps: { name: string; outcome: CloseStepReport['outcome']; error?: unknown; forced?: CloseStepReport['forced']; forceError?: unknown }[] = [];
  for (const c of closables) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      steps.push({ name: c.name, outcome: 'not-started' });
      continue;
    }
    const r = await settleWithin(() => c.close(), remaining);
    if (r.kind === 'done') steps.push({ name: c.name, outcome: 'closed' });
    else if (r.kind === 'error') steps.push({ name: c.name, outcome: 'failed', error: r.error });
    else steps.push({ name: c.name, outcome: 'timed-out' });
  }
  const forceDeadline = Date.now() + forceTimeoutMs;
  for (let i = 0; i < closables.length; i++) {
    const c = closables[i];
    const step = steps[i];
    if (c === undefined || step === undefined || step.outcome === 'closed') continue;
    const force = c.forceClose?.bind(c) ?? (() => c.close());
    const r = await settleWithin(force, forceDeadline - Date.now());
    step.forced = r.kind === 'done' ? 'closed' : r.kind === 'error' ? 'failed' : 'timed-out';
    if (r.kind === 'error') step.forceError = r.error;
  }
  const problems = steps
    .filter((s) => s.outcome !== 'closed')
    .map((s) => {
      const what =
        s.outcome === 'failed'
          ? `failed: ${describe(s.error)}`
          : s.outcome === 'timed-out'
            ? `timed out (overall shutdown budget ${timeoutMs} ms)`
            : 'not started (overall shutdown budget exhausted)';
      const forced =
        s.forced === undefined ? '' : s.forced === 'failed' ? `; forcing failed: ${describe(s.forceError)}` : s.forced === 'closed' ? '; forced closed' : `; forcing timed out (${forceTimeoutMs} ms)`;
      return `${s.name}: ${what}${forced}`;
    });
  return { ok: problems.length === 0, steps, problems };
}
