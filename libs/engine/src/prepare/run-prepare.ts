import { findSource, findVolume } from '@hfit/config';
import { HfitError, type ResolvedVariable } from '@hfit/contracts';
import { queryTables, runScalarQuery } from '@hfit/db';
import { applyRegexReplace, dollarPlaceholder, questionMarkPlaceholder, renderQuery, substituteStep, type PrepareStep, type ResolvedPrepareStep } from '@hfit/templates';
import type { Authorize, EngineConfig } from '../engine-config.js';
import type { SourceSessions } from '../source-sessions.js';
import { findVolumeFiles } from '../volumes/volume-files.js';

/** Adds the step's location to errors raised while running it, unless they carry one already. */
function located(step: PrepareStep, field: string, err: unknown): unknown {
  if (err instanceof HfitError && err.field === undefined) {
    const line = step.fieldLines[field] ?? step.line;
    return new HfitError(err.code, `prepare[${step.index}] (${step.setVar}): ${err.message}`, {
      field: `prepare[${step.index}].${field}`,
      ...(line === undefined ? {} : { line }),
      details: err.details,
      permanent: err.permanent,
      cause: err,
    });
  }
  return err;
}

async function runStep(step: ResolvedPrepareStep, sessions: SourceSessions, config: EngineConfig, authorize: Authorize | undefined): Promise<ResolvedVariable> {
  if (step.from === 'input') return { variable: step.setVar, value: step.value, source: 'input', origin: step.source };
  const h = step.hdata;
  const label = `dbquery of "${step.setVar}"`;
  if (h.type === 'dbquery') {
    if (authorize) {
      // Before any connection: the tables the query reads, as the parser sees them.
      const source = findSource(sessions, h.dbms);
      const { sql } = renderQuery(h.query, source.type === 'mysql' ? questionMarkPlaceholder : dollarPlaceholder);
      for (const t of queryTables(sql, source.type, label)) authorize({ kind: 'table', source: source.name, database: t.database, table: t.table });
    }
    const session = await sessions.get(h.dbms);
    const value = await runScalarQuery(session, h.query, label);
    return { variable: step.setVar, value, source: 'dbquery', origin: h.dbms };
  }
  const volume = findVolume(config, h.volume);
  authorize?.({ kind: 'volume', volume: volume.name });
  const matches = await findVolumeFiles(volume, h.glob, h.sort);
  // Every match, not only the chosen one: which file wins depends on all of them.
  if (authorize) for (const f of matches) authorize({ kind: 'volume-file', volume: volume.name, path: f.path });
  const chosen = matches[0];
  if (!chosen) throw new HfitError('GLOB_NO_MATCH', `no file on volume "${volume.name}" matches "${h.glob}": check the glob and the inputs`);
  const value = h.regexReplace ? applyRegexReplace(chosen.name, h.regexReplace) : chosen.name;
  return { variable: step.setVar, value, source: 'volume', origin: `${volume.name}:${chosen.path}` };
}

/**
 * Runs the template's `prepare` steps in order; each may use the inputs and the variables set by
 * the steps before it. Returns the variables with where each value came from. With `authorize`,
 * each step's tables and files are authorised before they are read.
 */
export async function runPrepare(
  steps: readonly PrepareStep[],
  inputs: readonly string[],
  sessions: SourceSessions,
  config: EngineConfig,
  authorize?: Authorize,
): Promise<ResolvedVariable[]> {
  const vars = new Map<string, string>();
  const resolved: ResolvedVariable[] = [];
  for (const step of steps) {
    const field = step.from === 'input' ? 'source' : step.hdata.type === 'dbquery' ? 'hdata.query' : 'hdata.glob';
    try {
      const variable = await runStep(substituteStep(step, { inputs, vars }), sessions, config, authorize);
      vars.set(variable.variable, variable.value);
      resolved.push(variable);
    } catch (err) {
      throw located(step, field, err);
    }
  }
  return resolved;
}
