import { waitForBuild, type ApiClient } from '@hfit/api-client';
import type { BuildView } from '@hfit/contracts';
import { CliError } from '../errors/cli-error.js';
import { ExitCode } from '../exit-codes.js';
import { BuildProgressRenderer } from '../render/build-progress-renderer.js';
import type { Output } from '../render/output.js';

/** Options of {@link followBuild}. */
export interface FollowBuildOptions {
  readonly output: Output;
  /** Between polls, ms. */
  readonly intervalMs: number;
  /** Stop waiting after this many ms (the build keeps running). */
  readonly timeoutMs?: number | undefined;
}

/**
 * Waits for a build to end, showing its progress; Ctrl-C stops waiting (not the build) with exit
 * code 130 and says how to follow or cancel it. Resolves with the final view, whatever its state.
 */
export async function followBuild(client: ApiClient, id: string, options: FollowBuildOptions): Promise<BuildView> {
  const renderer = new BuildProgressRenderer(options.output.progress(), options.output.style);
  const interrupt = new AbortController();
  const onSigint = (): void => interrupt.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  try {
    return await waitForBuild(client, id, {
      intervalMs: options.intervalMs,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      signal: interrupt.signal,
      onPoll: (view) => renderer.onPoll(view),
    });
  } catch (err) {
    if (interrupt.signal.aborted) {
      throw new CliError(`stopped waiting for build ${id}; it keeps running on the server`, {
        code: 'INTERRUPTED',
        exitCode: ExitCode.interrupted,
        hint: `follow it with \`hfit pkg status ${id}\`, stop it with \`hfit pkg cancel ${id}\``,
      });
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
    renderer.finish();
  }
}

/** Throws the build's failure (exit code 3, the server's error code) unless it succeeded. */
export function requireSucceeded(view: BuildView): asserts view is BuildView & { artifact: NonNullable<BuildView['artifact']> } {
  if (view.state === 'succeeded' && view.artifact !== undefined) return;
  if (view.state === 'cancelled') {
    throw new CliError(`build ${view.id} was cancelled`, { code: 'BUILD_CANCELLED', exitCode: ExitCode.buildFailed, data: { build: view } });
  }
  const error = view.error;
  throw new CliError(`build ${view.id} ${view.state === 'failed' ? 'failed' : `is ${view.state}`}: ${error?.message ?? 'no artifact was published'}`, {
    code: error?.code ?? (view.state === 'failed' ? 'JOB_FAILED' : 'BUILD_NOT_FINISHED'),
    exitCode: view.state === 'failed' ? ExitCode.buildFailed : ExitCode.general,
    data: { build: view, ...(error?.details ? { problems: error.details } : {}) },
    hint: `details: \`hfit pkg status ${view.id}\``,
  });
}
