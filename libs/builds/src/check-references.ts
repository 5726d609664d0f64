import { findSource, findVolume } from '@hfit/config';
import { HfitError, isHfitError, type ErrorDetail, type RowFormat } from '@hfit/contracts';
import { compileOptionalFilter, type TableInfo } from '@hfit/db';
import { SourceSessions, type EngineConfig } from '@hfit/engine';
import type { ExportSpec, TemplateModel } from '@hfit/templates';
import { literalValue as literal } from './literal-value.js';

/**
 * Checks what a template names against the server before a build is queued: sources and volumes
 * of `prepare` steps and exports exist, and the databases and tables written literally (or with
 * `$N` only) exist on their source and are readable; `copy` is only used on PostgreSQL; filters of
 * such tables parse and name only their columns (a `${var}` in a filter stands as a string). Names
 * built from `prepare` variables can only be checked by the worker. Every problem is reported:
 * one problem is thrown as is (its own code), several as `TEMPLATE_INVALID` with `details`.
 * @throws HfitError `SOURCE_UNREACHABLE` (transient) when a source cannot be reached to check it.
 */
export async function checkReferences(
  model: TemplateModel,
  inputs: readonly string[],
  config: EngineConfig,
  options: { readonly rowFormat?: RowFormat | undefined } = {},
): Promise<void> {
  const problems: { error: HfitError; field: string; line?: number | undefined }[] = [];
  const sessions = new SourceSessions(config.sources);
  const check = async (field: string, line: number | undefined, fn: () => unknown) => {
    try {
      await fn();
    } catch (err) {
      if (isHfitError(err) && err.code === 'SOURCE_UNREACHABLE') throw err;
      if (!isHfitError(err)) throw err;
      problems.push({ error: err, field, line });
    }
  };
  try {
    for (const step of model.prepare) {
      if (step.from !== 'hot-data') continue;
      const h = step.hdata;
      const at = `prepare[${step.index}].hdata`;
      if (h.type === 'dbquery') {
        const dbms = literal(h.dbms, inputs);
        if (dbms !== undefined) await check(`${at}.dbms`, step.fieldLines['hdata.dbms'] ?? step.line, () => findSource(config, dbms));
      } else {
        const vol = literal(h.volume, inputs);
        if (vol !== undefined) await check(`${at}.volume`, step.fieldLines['hdata.volume'] ?? step.line, () => findVolume(config, vol));
      }
    }
    for (const spec of model.exports) await checkExport(spec, inputs, config, sessions, check, options.rowFormat);
  } finally {
    await sessions.closeAll().catch(() => undefined);
  }
  if (problems.length === 0) return;
  const details: ErrorDetail[] = problems.map((p) => ({ message: p.error.message, field: p.field, ...(p.line === undefined ? {} : { line: p.line }) }));
  if (problems.length === 1) {
    const p = problems[0]!;
    throw new HfitError(p.error.code, p.error.message, { field: p.field, ...(p.line === undefined ? {} : { line: p.line }), details, cause: p.error });
  }
  throw new HfitError('TEMPLATE_INVALID', `template "${model.templateName}" names ${problems.length} things the server does not have: see details`, { details });
}

/** A string literal of the dialect (for the filter check only; the worker binds values). */
function sqlString(value: string, dialect: 'mysql' | 'postgres'): string {
  const body = dialect === 'mysql' ? value.replace(/\\/g, '\\\\').replace(/'/g, "''") : value.replace(/'/g, "''");
  return `'${body}'`;
}

async function checkExport(
  spec: ExportSpec,
  inputs: readonly string[],
  config: EngineConfig,
  sessions: SourceSessions,
  check: (field: string, line: number | undefined, fn: () => unknown) => Promise<void>,
  rowFormat: RowFormat | undefined,
): Promise<void> {
  const at = `exports.${spec.key}.data`;
  const line = (f: string) => spec.fieldLines[f] ?? spec.line;
  if (spec.type === 'file' || spec.type === 'files') {
    const vol = literal(spec.data.volume, inputs);
    if (vol !== undefined) await check(`${at}.volume`, line('data.volume'), () => findVolume(config, vol));
    return;
  }
  const dbms = literal(spec.data.dbms, inputs);
  if (dbms === undefined) return;
  let known = true;
  await check(`${at}.dbms`, line('data.dbms'), () => {
    try {
      findSource(config, dbms);
    } catch (err) {
      known = false;
      throw err;
    }
  });
  if (!known) return;
  const source = findSource(config, dbms);
  if (spec.type === 'table-data') {
    const format = rowFormat ?? spec.data.format;
    if (format === 'copy' && source.type !== 'postgres') {
      await check(`${at}.format`, line('data.format'), () => {
        throw new HfitError('FORMAT_UNSUPPORTED', `format "copy" is PostgreSQL only and source "${dbms}" is MySQL: use sql, csv or ndjson`);
      });
    }
    const table = literal(spec.data.table, inputs);
    if (table === undefined) return;
    let info: TableInfo | undefined;
    await check(`${at}.table`, line('data.table'), async () => {
      info = await (await sessions.get(dbms)).catalog.table(table);
    });
    const filter = spec.data.filter;
    if (info === undefined || filter === undefined) return;
    const session = await sessions.get(dbms);
    const dialect = session.connection.type;
    // Structure and columns only: each ${var} (known after prepare) stands as a string literal,
    // as the worker will bind it; $N is the input itself.
    const text = filter
      .replace(/\$\{[A-Za-z_][A-Za-z0-9_]*\}/g, "'0'")
      .replace(/\$([1-9][0-9]*)/g, (_m, n: string) => sqlString(inputs[Number(n) - 1] ?? '', dialect));
    await check(`${at}.filter`, line('data.filter'), () => compileOptionalFilter(text, { dialect, table: info!, catalog: session.catalog }));
    return;
  }
  for (const [i, item] of spec.data.tablelist.entries()) {
    const name = literal(item, inputs);
    if (name === undefined) continue;
    await check(`${at}.tablelist[${i}]`, line('data.tablelist'), async () => {
      const catalog = (await sessions.get(dbms)).catalog;
      return spec.type === 'dbcreate' ? catalog.database(name) : catalog.table(name);
    });
  }
}
