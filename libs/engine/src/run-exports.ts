import type { ExportType, Manifest, ManifestFile } from '@hfit/contracts';
import type { ResolvedExport } from '@hfit/templates';
import type { BuildOptions, EngineConfig } from './engine-config.js';
import { PackageWriter } from './exports/package-writer.js';
import { planExports, type PlannedExport } from './exports/plan-exports.js';
import type { PackageSink } from './sink/package-sink.js';
import { SourceSessions } from './source-sessions.js';

/** Minimum time between two byte-progress events of one export. */
export const PROGRESS_INTERVAL_MS = 500;

/** Progress of one export, reported when it starts, while it streams, and when it ends. */
export interface ExportEvent {
  /** Export key as written (after substitution: the package path, or folder for `files`). */
  readonly key: string;
  readonly type: ExportType;
  readonly state: 'running' | 'done';
  readonly rows: number;
  readonly bytes: number;
  readonly durationMs?: number;
}

/** What {@link runExports} wrote. */
export interface ExportsResult {
  /** Sorted by path. */
  readonly files: readonly ManifestFile[];
  /** The sources read, with their snapshot kind. */
  readonly sources: Manifest['sources'];
  /** Milliseconds per export key. */
  readonly timings: Readonly<Record<string, number>>;
  readonly rows: number;
  readonly bytes: number;
}

/** Sorts manifest files by path (byte order), the order of manifests and archives. */
export function sortFiles(files: readonly ManifestFile[]): ManifestFile[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Writes already-planned exports through `writer`, reporting each export's progress. Shared by
 * {@link runExports} and the in-process `buildPackage`.
 */
export async function writePlanned(
  planned: readonly PlannedExport[],
  writer: PackageWriter,
  options: BuildOptions & { readonly onExport?: ((e: ExportEvent) => void) | undefined; readonly onTick?: (() => void) | undefined },
): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  for (const exp of planned) {
    options.signal?.throwIfAborted();
    const rows0 = writer.rows;
    const bytes0 = writer.bytes;
    const t0 = performance.now();
    let last = t0;
    const tick = () => {
      const t = performance.now();
      if (t - last < PROGRESS_INTERVAL_MS) return;
      last = t;
      options.onExport?.({ key: exp.key, type: exp.type, state: 'running', rows: writer.rows - rows0, bytes: writer.bytes - bytes0 });
      options.onTick?.();
    };
    writer.onBytes = tick;
    options.onExport?.({ key: exp.key, type: exp.type, state: 'running', rows: 0, bytes: 0 });
    await exp.run(writer, options.signal);
    const durationMs = Math.round(performance.now() - t0);
    timings[exp.key] = durationMs;
    options.onExport?.({ key: exp.key, type: exp.type, state: 'done', rows: writer.rows - rows0, bytes: writer.bytes - bytes0, durationMs });
  }
  return timings;
}

/**
 * Runs a group of resolved exports (from `prepareBuild`) into `sink`: opens one read-only snapshot
 * per source for the group, checks the exports again (a table may have gone since), writes every
 * file, and returns the manifest facts. It does not commit the sink: the caller decides.
 */
export async function runExports(
  exports: readonly ResolvedExport[],
  config: EngineConfig,
  sink: PackageSink,
  options: BuildOptions & { readonly onExport?: ((e: ExportEvent) => void) | undefined } = {},
): Promise<ExportsResult> {
  const sessions = new SourceSessions(config.sources);
  try {
    const planned = await planExports(exports, sessions, config, options);
    const writer = new PackageWriter(sink);
    const timings = await writePlanned(planned, writer, options);
    return { files: sortFiles(writer.files), sources: await sessions.describe(), timings, rows: writer.rows, bytes: writer.bytes };
  } finally {
    await sessions.closeAll();
  }
}
