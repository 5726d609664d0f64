import { HfitError, isHfitError } from '@hfit/contracts';
import { bindQuery } from './bind-query.js';
import { escapeGlob } from './escape-glob.js';
import type { ResolvedExport, ResolvedExports, ResolvedPrepareStep } from './resolved-template.js';
import { assertNoExportNameConflicts, sanitiseExportName } from './sanitise-export-name.js';
import { sanitisePackageName } from './sanitise-package-name.js';
import { substitute } from './substitute.js';
import type { SubstitutionContext } from './substitution-context.js';
import type { ExportSpec, PrepareStep, TemplateModel } from './template-model.js';

/** Runs `fn`, prefixing an `HfitError` it throws with the field and line it came from. */
function at<T>(field: string, line: number | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!isHfitError(e) || e.field !== undefined) throw e;
    throw new HfitError(e.code, `${field}${line === undefined ? '' : ` (line ${line})`}: ${e.message}`, {
      field,
      ...(line === undefined ? {} : { line }),
      details: e.details,
      permanent: e.permanent,
      cause: e,
    });
  }
}

/**
 * Substitutes one prepare step, to run it. Call it for each step in order, with `ctx.vars` holding
 * the variables of the steps before it. The dbquery `query` is split into SQL and parameters
 * (see `bindQuery`); glob values are escaped; `regex_replace` is left as is.
 */
export function substituteStep(step: PrepareStep, ctx: SubstitutionContext): ResolvedPrepareStep {
  const { setVar, index, line, fieldLines } = step;
  const base = { setVar, index, line, fieldLines };
  const f = (name: string) => `prepare[${index}].${name}`;
  const l = (name: string) => fieldLines[name] ?? line;
  if (step.from === 'input') {
    return { ...base, from: 'input', source: step.source, value: at(f('source'), l('source'), () => substitute(step.source, ctx)) };
  }
  const h = step.hdata;
  if (h.type === 'dbquery') {
    return {
      ...base,
      from: 'hot-data',
      hdata: {
        type: 'dbquery',
        dbms: at(f('hdata.dbms'), l('hdata.dbms'), () => substitute(h.dbms, ctx)),
        query: at(f('hdata.query'), l('hdata.query'), () => bindQuery(h.query, ctx)),
      },
    };
  }
  return {
    ...base,
    from: 'hot-data',
    hdata: {
      type: 'volume',
      volume: at(f('hdata.volume'), l('hdata.volume'), () => substitute(h.volume, ctx)),
      glob: at(f('hdata.glob'), l('hdata.glob'), () => substitute(h.glob, ctx, { escapeValue: escapeGlob })),
      sort: h.sort,
      regexReplace: h.regexReplace,
    },
  };
}

function resolveExport(spec: ExportSpec, ctx: SubstitutionContext): ResolvedExport {
  const field = (name: string) => `exports.${spec.key}${name ? `.${name}` : ''}`;
  const s = (name: string, value: string) =>
    at(field(`data.${name}`), spec.fieldLines[`data.${name}`] ?? spec.line, () => substitute(value, ctx));
  const key = at(field(''), spec.line, () => substitute(spec.key, ctx));
  const base = { key: spec.key, line: spec.line, fieldLines: spec.fieldLines };
  const named = (name: string) => sanitiseExportName(name, spec.key);
  switch (spec.type) {
    case 'dbcreate':
    case 'table-create': {
      const tablelist = spec.data.tablelist.map((t, i) => s(`tablelist[${i}]`, t));
      const name = named(key);
      return spec.type === 'dbcreate'
        ? { ...base, name, type: spec.type, data: { dbms: s('dbms', spec.data.dbms), tablelist } }
        : { ...base, name, type: spec.type, data: { dbms: s('dbms', spec.data.dbms), tablelist, option: spec.data.option } };
    }
    case 'table-data': {
      const d = spec.data;
      const filter =
        d.filter === undefined
          ? undefined
          : at(field('data.filter'), spec.fieldLines['data.filter'] ?? spec.line, () => bindQuery(d.filter!, ctx));
      return {
        ...base,
        name: named(key),
        type: 'table-data',
        data: { dbms: s('dbms', d.dbms), table: s('table', d.table), filter, format: d.format, batchSize: d.batchSize },
      };
    }
    case 'file':
      return { ...base, name: named(key), type: 'file', data: { volume: s('volume', spec.data.volume), path: s('path', spec.data.path) } };
    case 'files': {
      const d = spec.data;
      const dir = d.dir === undefined ? key : s('dir', d.dir);
      const glob = at(field('data.glob'), spec.fieldLines['data.glob'] ?? spec.line, () =>
        substitute(d.glob, ctx, { escapeValue: escapeGlob }),
      );
      return {
        ...base,
        name: named(dir),
        type: 'files',
        data: { volume: s('volume', d.volume), glob, dir },
      };
    }
  }
}

/**
 * Substitutes `$N`/`${name}` in the package name and every export (keys, nested data values,
 * globs), then sanitises the resulting names. Values in globs are glob-escaped; the table-data
 * `filter` becomes SQL parts plus parameters; `regex_replace` is never substituted.
 * @param ctx the CLI inputs and every prepare variable.
 * @throws HfitError VARIABLE_UNKNOWN, INPUT_OUT_OF_RANGE, QUERY_REJECTED (with field and line), or
 *   EXPORT_NAME_INVALID for an unsafe package or export name or two exports whose names clash.
 */
export function substituteTemplate(model: TemplateModel, ctx: SubstitutionContext): ResolvedExports {
  const packageName = at('packageName', undefined, () => {
    const value = substitute(model.packageName, ctx);
    return sanitisePackageName(value, model.packageName);
  });
  const exports = model.exports.map((e) => resolveExport(e, ctx));
  assertNoExportNameConflicts(exports.map((e) => ({ key: e.key, name: e.name, line: e.line })));
  return { packageName, exports };
}
