import type { Writable } from 'node:stream';
import { HfitError, type Manifest } from '@hfit/contracts';
import { parseTemplate, substituteTemplate, type TemplateModel } from '@hfit/templates';
import type { BuildOptions, EngineConfig } from './engine-config.js';
import { planExports } from './exports/plan-exports.js';
import { PackageWriter, writeText } from './exports/package-writer.js';
import { runPrepare } from './prepare/run-prepare.js';
import type { PackageSink } from './sink/package-sink.js';
import { SourceSessions } from './source-sessions.js';

/** Minimum time between two progress events of one export. */
const PROGRESS_INTERVAL_MS = 500;

/** Path of the manifest inside a package. */
export const MANIFEST_PATH = 'METADATA/manifest.json';

/** What {@link buildPackage} returns. */
export interface BuildResult {
  readonly packageName: string;
  readonly manifest: Manifest;
}

/**
 * Runs a template: parses it (when given as text), resolves `prepare` variables, checks every
 * export, then writes each export and `METADATA/manifest.json` into the sink made for the package
 * name, and commits it. All reads from one source share one read-only snapshot. On any failure the
 * sink is aborted (nothing partial becomes visible) and the error is rethrown.
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
  const model = typeof template === 'string' ? parseTemplate(template) : template;
  if (inputs.length < model.requiredInputs)
    throw new HfitError(
      'INPUT_OUT_OF_RANGE',
      `template "${model.templateName}" uses $${model.requiredInputs} but ${inputs.length} argument(s) were given: pass ${model.requiredInputs}`,
    );
  const sessions = new SourceSessions(config.sources);
  let sink: PackageSink | undefined;
  try {
    const report = (phase: 'prepare' | 'export' | 'done', done: number, total: number, writer?: PackageWriter, key?: string) =>
      options.onProgress?.({ phase, exportsDone: done, exportsTotal: total, rows: writer?.rows ?? 0, bytes: writer?.bytes ?? 0, ...(key ? { export: key } : {}) });
    report('prepare', 0, model.exports.length);
    const variables = await runPrepare(model.prepare, inputs, sessions, config);
    const resolved = substituteTemplate(model, { inputs, vars: new Map(variables.map((v) => [v.variable, v.value])) });
    const packageName = resolved.packageName;
    const planned = await planExports(resolved.exports, sessions, config, options);
    sink = await sinkFor(packageName);
    // Progress while a large export streams: bytes so far, at most every PROGRESS_INTERVAL_MS.
    let current = { index: 0, key: '' };
    let lastReport = 0;
    const writer: PackageWriter = new PackageWriter(sink, () => {
      const t = performance.now();
      if (t - lastReport < PROGRESS_INTERVAL_MS) return;
      lastReport = t;
      report('export', current.index, planned.length, writer, current.key);
    });
    const exportTimings: Record<string, number> = {};
    for (const [i, exp] of planned.entries()) {
      options.signal?.throwIfAborted();
      current = { index: i, key: exp.key };
      lastReport = performance.now();
      report('export', i, planned.length, writer, exp.key);
      const t0 = performance.now();
      await exp.run(writer, options.signal);
      exportTimings[exp.key] = Math.round(performance.now() - t0);
    }
    const files = [...writer.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const finished = now();
    const manifest: Manifest = {
      manifestVersion: 1,
      hfitVersion: 1,
      templateName: model.templateName,
      ...(model.projectName === undefined ? {} : { projectName: model.projectName }),
      packageName,
      templateText: model.text,
      inputs: [...inputs],
      variables,
      sources: await sessions.describe(),
      files,
      totals: { files: files.length, bytes: writer.bytes, rows: writer.rows },
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
    report('done', planned.length, planned.length, writer);
    return { packageName, manifest };
  } catch (err) {
    await sink?.abort().catch(() => undefined);
    throw err;
  } finally {
    await sessions.closeAll();
  }
}
