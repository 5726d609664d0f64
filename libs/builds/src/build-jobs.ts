import type { BuildState, Manifest, ManifestFile } from '@hfit/contracts';
import type { PreparedBuild } from '@hfit/engine';
import type { ResolvedExport } from '@hfit/templates';

/** Data of a build (parent) job on the `hfit-build` queue; the job id is the build id. */
export interface BuildJobData {
  readonly buildId: string;
  /**
   * Where the parent is: absent = plan (run `prepare`), `children` = exports handed to child
   * jobs, waiting for or collecting them. Saved in the job, so a re-run after a crash resumes.
   */
  readonly step?: 'children';
  readonly prepared?: PreparedBuild;
  /** Number of export groups (child jobs `<buildId>.<index>`). */
  readonly groups?: number;
}

/** What a build job returns. */
export interface BuildJobResult {
  readonly state: BuildState;
  readonly sha256?: string;
  readonly size?: number;
}

/** Data of an export (child) job on the `hfit-export` queue. */
export interface ExportJobData {
  readonly buildId: string;
  readonly group: number;
  readonly label: string;
  readonly exports: readonly ResolvedExport[];
}

/** What an export job returns to its parent: the files it staged and what it read. */
export interface ExportJobResult {
  readonly group: number;
  readonly files: readonly ManifestFile[];
  readonly sources: Manifest['sources'];
  readonly timings: Readonly<Record<string, number>>;
}

/** Job name of build jobs. */
export const BUILD_JOB = 'build';
/** Job name of export jobs. */
export const EXPORT_JOB = 'export';

/** Job id of an export group's child job. */
export function exportJobId(buildId: string, group: number): string {
  return `${buildId}.${group}`;
}
