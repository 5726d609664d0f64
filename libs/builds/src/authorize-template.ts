import type { Access } from '@hfit/access';
import { HfitError, isHfitError, type ErrorDetail } from '@hfit/contracts';
import { parseTableRef, queryTables } from '@hfit/db';
import type { EngineConfig, ReadRequest } from '@hfit/engine';
import { dollarPlaceholder, questionMarkPlaceholder, renderQuery, scanQuery, type TemplateModel } from '@hfit/templates';
import { literalValue } from './literal-value.js';

/** One {@link ReadRequest} decided against a user's {@link Access}: throws `FORBIDDEN` when not granted. */
export function authorizeRead(access: Access, request: ReadRequest): void {
  switch (request.kind) {
    case 'package':
      return access.requirePackage(request.name);
    case 'database':
      return access.requireSeeSource(request.source, request.database);
    case 'table':
      return access.requireTable(request.source, request.database, request.table);
    case 'volume':
      return access.requireSeeVolume(request.volume);
    case 'volume-file':
      return access.requireVolumePath(request.volume, request.path);
  }
}

/** A volume path as written, normalised like the volume layer does it (undefined when it would be refused there). */
function volumePathOf(path: string): string | undefined {
  if (path === '' || path.includes('\0') || path.includes('\\') || path.startsWith('/') || path.split('/').includes('..')) return undefined;
  return path.split('/').filter((s) => s !== '' && s !== '.').join('/');
}

/**
 * What a submit checks of the owner's access, before anything is opened: the `build` action, the
 * package name and every table, database, volume and file path the template names literally (or
 * with `$N` only), the tables each `prepare` query reads (from the SQL parser; a query whose tables
 * cannot be determined is refused). Names that depend on `prepare` variables, the tables of a
 * `dbcreate` database and the files a glob matches are checked by the worker, which asks again at
 * run time. Every refusal is listed: one as it is (field and line), several as one `FORBIDDEN`
 * with `details`.
 */
export function authorizeTemplate(model: TemplateModel, inputs: readonly string[], access: Access, config: EngineConfig): void {
  access.requireAction('build');
  const problems: ErrorDetail[] = [];
  const check = (field: string, line: number | undefined, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      if (!isHfitError(err, 'FORBIDDEN')) throw err;
      problems.push({ message: err.message, field, ...(line === undefined ? {} : { line }) });
    }
  };
  const read = (request: ReadRequest) => authorizeRead(access, request);
  const sourceOf = (name: string) => config.sources.find((s) => s.name === name);

  const pkg = literalValue(model.packageName, inputs);
  if (pkg !== undefined) check('packageName', undefined, () => read({ kind: 'package', name: pkg }));

  for (const step of model.prepare) {
    if (step.from !== 'hot-data') continue;
    const h = step.hdata;
    const at = `prepare[${step.index}].hdata`;
    if (h.type === 'dbquery') {
      const dbms = literalValue(h.dbms, inputs);
      // An unknown source is reported by the reference check; one named by a variable by the worker.
      const source = dbms === undefined ? undefined : sourceOf(dbms);
      if (source === undefined) continue;
      check(`${at}.query`, step.fieldLines['hdata.query'] ?? step.line, () => {
        let parts: readonly string[];
        try {
          parts = scanQuery(h.query).parts;
        } catch {
          return; // Bad `$` syntax: the template parser reports it.
        }
        const { sql } = renderQuery({ parts, params: parts.slice(1) }, source.type === 'mysql' ? questionMarkPlaceholder : dollarPlaceholder);
        for (const t of queryTables(sql, source.type, `dbquery of "${step.setVar}"`)) read({ kind: 'table', source: source.name, database: t.database, table: t.table });
      });
    } else {
      const volume = literalValue(h.volume, inputs);
      if (volume !== undefined) check(`${at}.volume`, step.fieldLines['hdata.volume'] ?? step.line, () => read({ kind: 'volume', volume }));
    }
  }

  for (const spec of model.exports) {
    const at = `exports.${spec.key}.data`;
    const line = (f: string) => spec.fieldLines[f] ?? spec.line;
    switch (spec.type) {
      case 'file':
      case 'files': {
        const volume = literalValue(spec.data.volume, inputs);
        if (volume === undefined) break;
        const path = spec.type === 'file' ? literalValue(spec.data.path, inputs) : undefined;
        const clean = path === undefined ? undefined : volumePathOf(path);
        if (clean !== undefined) check(`${at}.path`, line('data.path'), () => read({ kind: 'volume-file', volume, path: clean }));
        else check(`${at}.volume`, line('data.volume'), () => read({ kind: 'volume', volume }));
        break;
      }
      case 'table-data': {
        const source = literalValue(spec.data.dbms, inputs);
        const table = literalValue(spec.data.table, inputs);
        if (source === undefined || table === undefined) break;
        check(`${at}.table`, line('data.table'), () => {
          const ref = refOf(table);
          if (ref) read({ kind: 'table', source, ...ref });
        });
        break;
      }
      case 'table-create':
      case 'dbcreate': {
        const source = literalValue(spec.data.dbms, inputs);
        if (source === undefined) break;
        for (const [i, item] of spec.data.tablelist.entries()) {
          const name = literalValue(item, inputs);
          if (name === undefined) continue;
          check(`${at}.tablelist[${i}]`, line('data.tablelist'), () => {
            if (spec.type === 'dbcreate') return read({ kind: 'database', source, database: name });
            const ref = refOf(name);
            if (ref) read({ kind: 'table', source, ...ref });
          });
        }
        break;
      }
    }
  }
  if (problems.length === 0) return;
  if (problems.length === 1) {
    const p = problems[0]!;
    throw new HfitError('FORBIDDEN', p.message, { permanent: true, details: problems, ...(p.field === undefined ? {} : { field: p.field }), ...(p.line === undefined ? {} : { line: p.line }) });
  }
  throw new HfitError('FORBIDDEN', `user "${access.user}" may not read ${problems.length} things template "${model.templateName}" names: see details`, { permanent: true, details: problems });
}

/** `db.table` split, or undefined when malformed (the reference check reports it). */
function refOf(name: string): { database: string; table: string } | undefined {
  try {
    return parseTableRef(name);
  } catch {
    return undefined;
  }
}
