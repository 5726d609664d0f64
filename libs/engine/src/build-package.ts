import type { Writable } from 'node:stream';
import type { Manifest } from '@hfit/contracts';
import type { TemplateModel } from '@hfit/templates';
import type { BuildOptions, EngineConfig } from './engine-config.js';
import { PackageWriter, writeText } from './exports/package-writer.js';
import { loadTemplate, prepareWith } from './prepare-build.js';
import { composeManifest } from './compose-manifest.js';
import { sortFiles, writePlanned } from './run-exports.js';
import type { PackageSink } from './sink/package-sink.js';
import { SourceSessions } from './source-sessions.js';

/** Path of the manifest inside a package. */
export const MANIFEST_PATH = 'METADATA/manifest.json';

/** What {@link buildPackage} returns. */
export interface BuildResult {
  readonly packageName: string;
  readonly manifest: Manifest;
}

/**
 * Runs a template in this process: parses it (when given as text), resolves `prepare` variables,
 * checks every export, then writes each export and `METADATA/manifest.json` into the sink made for
 * the package name, and commits it. All reads from one source, `prepare` included, share one
 * read-only snapshot. On any failure the sink is aborted (nothing partial becomes visible) and the
 * error is rethrown. (The build platform splits the same steps over jobs: `prepareBuild`,
 * `runExports`, `composeManifest`.)
 */
export async function buildPackage(
  template: string | TemplateModel,
  inputs: readonly string[],
  config: EngineConfig,
  sinkFor: (packageName: string) => PackageSink | Promise<PackageSink>,
  options: BuildOptions = {},
): Promise<BuildResult> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const model = loadTemplate(template, inputs);
  const sessions = new SourceSessions(config.sources);
  let sink: PackageSink | undefined;
  try {
    const total = model.exports.length;
    options.onProgress?.({ phase: 'prepare', exportsDone: 0, exportsTotal: total, rows: 0, bytes: 0 });
    const { prepared, planned } = await prepareWith(model, inputs, sessions, config, options);
    sink = await sinkFor(prepared.packageName);
    const writer = new PackageWriter(sink);
    let done = 0;
    const exportTimings = await writePlanned(planned, writer, {
      ...options,
      onExport: (e) => {
        if (e.state === 'done') done++;
        options.onProgress?.({ phase: 'export', exportsDone: done, exportsTotal: planned.length, rows: writer.rows, bytes: writer.bytes, export: e.key });
      },
    });
    const finished = now();
    const manifest: Manifest = {
      ...composeManifest(prepared, { files: sortFiles(writer.files), sources: await sessions.describe() }),
      timings: {
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        durationMs: finished.getTime() - started.getTime(),
        exports: exportTimings,
      },
    };
    const out: Writable = await sink.create(MANIFEST_PATH);
    await writeText(out, `${JSON.stringify(manifest, null, 2)}\n`);
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    await sink.commit();
    options.onProgress?.({ phase: 'done', exportsDone: planned.length, exportsTotal: planned.length, rows: writer.rows, bytes: writer.bytes });
    return { packageName: prepared.packageName, manifest };
  } catch (err) {
    await sink?.abort().catch(() => undefined);
    throw err;
  } finally {
    await sessions.closeAll();
  }
}
