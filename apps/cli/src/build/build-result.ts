import type { Artifact, BuildState, BuildView, JobFailure } from '@hfit/contracts';

/** What `hfit pkg-build --json` prints (and `hfit pkg status --json`). */
export interface BuildResult {
  readonly id: string;
  readonly state: BuildState;
  readonly templateName: string;
  readonly packageName?: string;
  /** sha256 of the published archive (succeeded builds). */
  readonly sha256?: string;
  readonly artifact?: Artifact;
  readonly error?: JobFailure;
  /** The whole build record as the API shows it (progress per export, timestamps). */
  readonly build: BuildView;
}

/** The {@link BuildResult} of a build view. */
export function buildResultOf(view: BuildView): BuildResult {
  return {
    id: view.id,
    state: view.state,
    templateName: view.templateName,
    ...(view.packageName === undefined ? {} : { packageName: view.packageName }),
    ...(view.artifact === undefined ? {} : { sha256: view.artifact.sha256, artifact: view.artifact }),
    ...(view.error === undefined ? {} : { error: view.error }),
    build: view,
  };
}
