import type { BuildView } from '@hfit/contracts';

/** `waitForBuild` gave up: the build had not finished in time. It keeps running on the server. */
export class BuildWaitTimeoutError extends Error {
  readonly buildId: string;
  readonly timeoutMs: number;
  /** The last state seen, when any poll succeeded. */
  readonly lastView: BuildView | undefined;

  constructor(buildId: string, timeoutMs: number, lastView: BuildView | undefined) {
    const seen =
      lastView === undefined
        ? 'its state could not be read'
        : `last seen ${lastView.state}, ${lastView.progress.exportsDone}/${lastView.progress.exportsTotal} exports done`;
    super(`Build ${buildId} did not finish within ${formatDuration(timeoutMs)} (${seen}); it keeps running on the server`);
    this.name = 'BuildWaitTimeoutError';
    this.buildId = buildId;
    this.timeoutMs = timeoutMs;
    this.lastView = lastView;
  }
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6000) / 10} min`;
}
