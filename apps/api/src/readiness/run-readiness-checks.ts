import { isHfitError } from '@hfit/contracts';
import type { Health } from '@hfit/contracts';
import type { Logger } from '@hfit/logger';
import type { ReadinessCheck } from './readiness-check.js';

/** The `reason` shown for a failed check: a stable code, never the error message. */
function reasonOf(err: unknown): string {
  if (isHfitError(err)) return `failed: ${err.code}`;
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? `failed: ${code}` : 'failed';
}

async function runOne(check: ReadinessCheck, timeoutMs: number): Promise<{ ok: true } | { ok: false; reason: string; err?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: false; reason: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    // Promise.resolve().then: a check that throws synchronously is a failed check, not a crash.
    const run = Promise.resolve()
      .then(check)
      .then(
        () => ({ ok: true }) as const,
        (err: unknown) => ({ ok: false, reason: reasonOf(err), err }) as const,
      );
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs every check in parallel, each bounded by `timeoutMs`. The answer names each dependency with
 * `ok` or a short reason (an error code, `timed out after N ms`): messages can carry hosts, URLs or
 * credentials, so they go to the log only.
 */
export async function runReadinessChecks(checks: Readonly<Record<string, ReadinessCheck>>, timeoutMs: number, log?: Logger): Promise<Health & { checks: Record<string, string> }> {
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((name) => runOne(checks[name]!, timeoutMs)));
  const out: Record<string, string> = {};
  let ok = true;
  results.forEach((r, i) => {
    const name = names[i]!;
    if (r.ok) {
      out[name] = 'ok';
      return;
    }
    ok = false;
    out[name] = r.reason;
    log?.warn({ dependency: name, reason: r.reason, ...(r.err === undefined ? {} : { err: r.err }) }, 'readiness check failed');
  });
  return { status: ok ? 'ok' : 'unavailable', checks: out };
}
