import { HfitError, type ResolvedVariable } from '@hfit/contracts';
import { parseTemplate, substituteTemplate, type ResolvedExport, type TemplateModel } from '@hfit/templates';
import type { BuildOptions, EngineConfig } from './engine-config.js';
import { planExports, type PlannedExport } from './exports/plan-exports.js';
import { runPrepare } from './prepare/run-prepare.js';
import { SourceSessions } from './source-sessions.js';

/** A template with its variables resolved and every export checked, ready to run (plain data). */
export interface PreparedBuild {
  readonly templateName: string;
  readonly projectName?: string | undefined;
  readonly templateText: string;
  readonly packageName: string;
  readonly inputs: readonly string[];
  readonly variables: readonly ResolvedVariable[];
  /** In template order; JSON-serialisable, so a job can carry them to another worker. */
  readonly exports: readonly ResolvedExport[];
}

/** Parses `template` when given as text and checks that enough arguments were given. */
export function loadTemplate(template: string | TemplateModel, inputs: readonly string[]): TemplateModel {
  const model = typeof template === 'string' ? parseTemplate(template) : template;
  if (inputs.length < model.requiredInputs)
    throw new HfitError(
      'INPUT_OUT_OF_RANGE',
      `template "${model.templateName}" uses $${model.requiredInputs} but ${inputs.length} argument(s) were given: pass ${model.requiredInputs}`,
    );
  return model;
}

/**
 * Runs `prepare` and checks every export through `sessions` (left open: the caller may go on reading
 * the same snapshots, as {@link buildPackage} does, or close them).
 */
export async function prepareWith(
  model: TemplateModel,
  inputs: readonly string[],
  sessions: SourceSessions,
  config: EngineConfig,
  options: BuildOptions = {},
): Promise<{ prepared: PreparedBuild; planned: PlannedExport[] }> {
  const variables = await runPrepare(model.prepare, inputs, sessions, config, options.authorize);
  const resolved = substituteTemplate(model, { inputs, vars: new Map(variables.map((v) => [v.variable, v.value])) });
  options.authorize?.({ kind: 'package', name: resolved.packageName });
  const exports = options.rowFormat === undefined ? resolved.exports : resolved.exports.map((e) => withRowFormat(e, options.rowFormat!));
  const planned = await planExports(exports, sessions, config, options);
  return {
    prepared: {
      templateName: model.templateName,
      ...(model.projectName === undefined ? {} : { projectName: model.projectName }),
      templateText: model.text,
      packageName: resolved.packageName,
      inputs: [...inputs],
      variables,
      exports,
    },
    planned,
  };
}

function withRowFormat(e: ResolvedExport, format: NonNullable<BuildOptions['rowFormat']>): ResolvedExport {
  return e.type === 'table-data' ? { ...e, data: { ...e.data, format } } : e;
}

/**
 * Resolves a template's variables and checks every export (sources, tables, filters, volumes,
 * files) without writing anything. The build platform runs this once per build, then hands groups
 * of the resolved exports to {@link runExports} on any worker.
 */
export async function prepareBuild(
  template: string | TemplateModel,
  inputs: readonly string[],
  config: EngineConfig,
  options: BuildOptions = {},
): Promise<PreparedBuild> {
  const model = loadTemplate(template, inputs);
  const sessions = new SourceSessions(config.sources);
  try {
    return (await prepareWith(model, inputs, sessions, config, options)).prepared;
  } finally {
    await sessions.closeAll();
  }
}
