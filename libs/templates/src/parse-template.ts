import { HfitError } from '@hfit/contracts';
import type { PathSegment } from '@hfit/contracts';
import { YamlLocator } from '@hfit/contracts/yaml';
import { LineCounter, parseDocument } from 'yaml';
import { EXPORT_TYPES, EXPORT_TYPE_ALIASES, normaliseExportType } from './export-type-names.js';
import { ProblemList } from './problem-list.js';
import { ReferenceChecker } from './reference-checker.js';
import { parseRegexReplace } from './regex-replace.js';
import { exportNameProblem, findExportNameConflicts } from './sanitise-export-name.js';
import type { NamedExport } from './sanitise-export-name.js';
import { packageNameProblem } from './sanitise-package-name.js';
import {
  DbCreateDataSchema,
  DbQueryHotDataSchema,
  ExportEntrySchema,
  FileDataSchema,
  FilesDataSchema,
  HotDataStepSchema,
  InputStepSchema,
  LegacyTemplateTopSchema,
  TableCreateDataSchema,
  TableDataDataSchema,
  TemplateTopSchema,
  VolumeHotDataSchema,
} from './template-schemas.js';
import type {
  ExportSpec,
  FieldLines,
  HotDataSpec,
  ParsedTemplate,
  PrepareStep,
  VolumeSort,
  VolumeSortKey,
} from './template-model.js';
import { referencesOf } from './template-string.js';
import { VARIABLE_NAME_PATTERN } from './template-string.js';

/** Largest template accepted, in UTF-16 code units (about 1 MiB). */
export const MAX_TEMPLATE_LENGTH = 1_048_576;

type RawMap = Record<string, unknown>;

function isMap(v: unknown): v is RawMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function hasReferences(str: string): boolean {
  try {
    return referencesOf(str).length > 0;
  } catch {
    return true; // a syntax problem is reported by the reference check
  }
}

/** Everything the per-part parsers share. */
interface Context {
  readonly locator: YamlLocator;
  readonly problems: ProblemList;
  readonly refs: ReferenceChecker;
}

function fieldLines(ctx: Context, path: readonly PathSegment[], obj: RawMap, prefix = ''): Record<string, number> {
  const lines: Record<string, number> = {};
  for (const key of Object.keys(obj)) {
    const line = ctx.locator.lineOf([...path, key]);
    if (line !== undefined) lines[prefix + key] = line;
  }
  return lines;
}

/** Variables set by `prepare`, first setter wins; later duplicates are reported. */
function declaredVariables(prepare: readonly unknown[], problems: ProblemList): Map<string, number> {
  const declared = new Map<string, number>();
  prepare.forEach((step, i) => {
    const name = isMap(step) ? step['setVar'] : undefined;
    if (typeof name !== 'string' || !VARIABLE_NAME_PATTERN.test(name)) return;
    const earlier = declared.get(name);
    if (earlier === undefined) declared.set(name, i);
    else {
      problems.add(
        'TEMPLATE_INVALID',
        ['prepare', i, 'setVar'],
        `variable "${name}" is already set by prepare[${earlier}]: each step sets its own variable, so rename one`,
      );
    }
  });
  return declared;
}

function parseSort(sort: string | undefined): VolumeSort {
  if (sort === undefined) return { key: 'name', order: 'asc' };
  const [key, order] = sort.split('|') as [VolumeSortKey, ('asc' | 'desc')?];
  return { key, order: order ?? 'asc' };
}

function parseStep(ctx: Context, value: unknown, index: number): PrepareStep | undefined {
  const path = ['prepare', index];
  const { problems, refs } = ctx;
  if (!isMap(value)) {
    problems.add('TEMPLATE_INVALID', path, 'must be a map with setVar, from and source or hdata');
    return undefined;
  }
  const line = ctx.locator.lineOf(path);
  if (value['from'] === 'input') {
    const step = problems.check(InputStepSchema, value, path, Object.keys(InputStepSchema.shape));
    if (typeof value['source'] === 'string') refs.checkText(value['source'], [...path, 'source'], index);
    if (!step) return undefined;
    return { from: 'input', setVar: step.setVar, source: step.source, index, line, fieldLines: fieldLines(ctx, path, value) };
  }
  if (value['from'] !== 'hot-data') {
    problems.add(
      'TEMPLATE_INVALID',
      [...path, 'from'],
      value['from'] === undefined ? 'is required: input or hot-data' : `must be input or hot-data`,
    );
    return undefined;
  }
  const step = problems.check(HotDataStepSchema, value, path, Object.keys(HotDataStepSchema.shape));
  const hdata = value['hdata'];
  if (!isMap(hdata)) return undefined;
  const hpath = [...path, 'hdata'];
  let spec: HotDataSpec | undefined;
  if (hdata['type'] === 'dbquery') {
    const h = problems.check(DbQueryHotDataSchema, hdata, hpath, Object.keys(DbQueryHotDataSchema.shape));
    refs.checkDeep(hdata, hpath, index, ['type', 'query']);
    if (typeof hdata['query'] === 'string') refs.checkQuery(hdata['query'], [...hpath, 'query'], index);
    if (h) spec = { type: 'dbquery', dbms: h.dbms, query: h.query };
  } else if (hdata['type'] === 'volume') {
    const h = problems.check(VolumeHotDataSchema, hdata, hpath, Object.keys(VolumeHotDataSchema.shape));
    // regex_replace is not substituted: its "$1" is a capture group. sort is a fixed keyword.
    refs.checkDeep(hdata, hpath, index, ['type', 'sort', 'regex_replace']);
    const regex = h?.regex_replace === undefined ? undefined : parseRegexReplace(h.regex_replace);
    if (typeof regex === 'string') problems.add('TEMPLATE_INVALID', [...hpath, 'regex_replace'], regex);
    else if (h) spec = { type: 'volume', volume: h.volume, glob: h.glob, sort: parseSort(h.sort), regexReplace: regex };
  } else {
    problems.add(
      'TEMPLATE_INVALID',
      [...hpath, 'type'],
      hdata['type'] === undefined ? 'is required: dbquery or volume' : 'must be dbquery or volume',
    );
  }
  if (!step || !spec) return undefined;
  return {
    from: 'hot-data',
    setVar: step.setVar,
    hdata: spec,
    index,
    line,
    fieldLines: { ...fieldLines(ctx, path, value), ...fieldLines(ctx, hpath, hdata, 'hdata.') },
  };
}

function stripWhere(filter: string | undefined): string | undefined {
  if (filter === undefined) return undefined;
  const stripped = filter.trim().replace(/^where(?=\s|\(|$)/i, '').trim();
  return stripped === '' ? undefined : stripped;
}

const VALID_TYPES_TEXT =
  `${EXPORT_TYPES.join(', ')}` +
  ` (also accepted: ${Object.entries(EXPORT_TYPE_ALIASES).map(([a, c]) => `${a} for ${c}`).join(', ')})`;

function parseExport(ctx: Context, key: string, value: unknown): ExportSpec | undefined {
  const path = ['exports', key];
  const { problems, refs } = ctx;
  refs.checkText(key, path);
  if (!isMap(value)) {
    problems.add('TEMPLATE_INVALID', path, 'must be a map with type and data');
    return undefined;
  }
  const entry = problems.check(ExportEntrySchema, value, path, ['type', 'data']);
  const written = value['type'];
  const type = typeof written === 'string' ? normaliseExportType(written) : undefined;
  if (typeof written === 'string' && type === undefined) {
    problems.add('EXPORT_TYPE_UNKNOWN', [...path, 'type'], `unknown export type "${written}": use one of ${VALID_TYPES_TEXT}`);
  }
  const data = value['data'];
  if (type === undefined || !isMap(data)) return undefined;
  const dpath = [...path, 'data'];
  const line = ctx.locator.lineOf(path);
  const lines: FieldLines = { ...fieldLines(ctx, path, value), ...fieldLines(ctx, dpath, data, 'data.') };
  const base = { key, line, fieldLines: lines };
  refs.checkDeep(data, dpath, undefined, ['filter']);
  switch (type) {
    case 'dbcreate': {
      const d = problems.check(DbCreateDataSchema, data, dpath, Object.keys(DbCreateDataSchema.shape));
      return d && entry && { ...base, type, data: { dbms: d.dbms, tablelist: d.tablelist } };
    }
    case 'table-create': {
      const d = problems.check(TableCreateDataSchema, data, dpath, Object.keys(TableCreateDataSchema.shape));
      if (!d || !entry) return undefined;
      const tablelist = d.tablelist ?? (d.table === undefined ? [] : [d.table]);
      return { ...base, type, data: { dbms: d.dbms, tablelist, option: d.option } };
    }
    case 'table-data': {
      if (typeof data['filter'] === 'string') refs.checkQuery(data['filter'], [...dpath, 'filter']);
      const d = problems.check(TableDataDataSchema, data, dpath, Object.keys(TableDataDataSchema.shape));
      if (!d || !entry) return undefined;
      const filter = stripWhere(d.filter);
      return { ...base, type, data: { dbms: d.dbms, table: d.table, filter, format: d.format, batchSize: d.batchSize } };
    }
    case 'file': {
      const d = problems.check(FileDataSchema, data, dpath, Object.keys(FileDataSchema.shape));
      return d && entry && { ...base, type, data: { volume: d.volume, path: d.path } };
    }
    case 'files': {
      const d = problems.check(FilesDataSchema, data, dpath, Object.keys(FilesDataSchema.shape));
      return d && entry && { ...base, type, data: { volume: d.volume, glob: d.glob, dir: d.dir } };
    }
  }
}

/** Export name checks that need no substitution (keys without references). */
function checkStaticNames(ctx: Context, exports: readonly ExportSpec[]): void {
  const named: NamedExport[] = [];
  for (const e of exports) {
    const dir = e.type === 'files' ? e.data.dir : undefined;
    const name = dir ?? e.key;
    const field = dir === undefined ? ['exports', e.key] : ['exports', e.key, 'data', 'dir'];
    if (hasReferences(name)) continue;
    const problem = exportNameProblem(name);
    if (problem !== undefined) ctx.problems.add('EXPORT_NAME_INVALID', field, `the name "${name}" ${problem}`);
    else named.push({ key: e.key, name, line: e.line });
  }
  for (const c of findExportNameConflicts(named)) ctx.problems.add('EXPORT_NAME_INVALID', ['exports', c.second.key], c.message);
}

function parseYaml(text: string): { raw: unknown; locator: YamlLocator } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const locator = new YamlLocator(doc, lineCounter);
  if (doc.errors.length > 0) {
    const details = doc.errors.map((e) => ({ message: e.message, line: locator.lineAtOffset(e.pos[0]) }));
    const first = details[0]!;
    throw new HfitError(
      'TEMPLATE_YAML',
      `template is not valid YAML: line ${first.line}: ${first.message}` +
        (details.length > 1 ? ` (and ${details.length - 1} more problem${details.length > 2 ? 's' : ''})` : ''),
      { line: first.line, details },
    );
  }
  try {
    return { raw: doc.toJS({ maxAliasCount: 100 }), locator };
  } catch (e) {
    throw new HfitError('TEMPLATE_YAML', `template YAML cannot be read: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Parses and validates a package template (format v1, also the legacy `name:` form) into a
 * {@link TemplateModel}. Strings stay unsubstituted; every `${name}` is checked to be set by an
 * earlier prepare step, and references in SQL to be outside quotes.
 * @throws HfitError TEMPLATE_YAML (malformed YAML, with line); otherwise one error listing every
 *   problem in `details` (field + line): TEMPLATE_INVALID, or EXPORT_TYPE_UNKNOWN /
 *   VARIABLE_UNKNOWN / EXPORT_NAME_INVALID / QUERY_REJECTED / INPUT_OUT_OF_RANGE when every problem
 *   is of that one kind.
 */
export function parseTemplate(text: string): ParsedTemplate {
  if (text.length > MAX_TEMPLATE_LENGTH) {
    throw new HfitError('TEMPLATE_INVALID', `template is larger than ${MAX_TEMPLATE_LENGTH} characters: split it up`);
  }
  const { raw, locator } = parseYaml(text);
  if (!isMap(raw)) {
    throw new HfitError(
      'TEMPLATE_INVALID',
      'template must be a YAML map with hfitVersion, templateName and exports (see `hfit pkg-example`)',
      { line: 1 },
    );
  }
  const problems = new ProblemList(locator);
  const legacy = 'name' in raw && !('templateName' in raw);
  const top = legacy
    ? problems.check(LegacyTemplateTopSchema, raw, [], Object.keys(LegacyTemplateTopSchema.shape))
    : problems.check(TemplateTopSchema, raw, [], Object.keys(TemplateTopSchema.shape));

  const rawPrepare = !legacy && Array.isArray(raw['prepare']) ? (raw['prepare'] as unknown[]) : [];
  const refs = new ReferenceChecker(problems, declaredVariables(rawPrepare, problems));
  const ctx: Context = { locator, problems, refs };

  const prepare: PrepareStep[] = [];
  rawPrepare.forEach((s, i) => {
    const step = parseStep(ctx, s, i);
    if (step) prepare.push(step);
  });

  const exports: ExportSpec[] = [];
  const rawExports = raw['exports'];
  if (isMap(rawExports)) {
    if (Object.keys(rawExports).length === 0) {
      problems.add('TEMPLATE_INVALID', ['exports'], 'must list at least one export');
    }
    for (const [key, value] of Object.entries(rawExports)) {
      const spec = parseExport(ctx, key, value);
      if (spec) exports.push(spec);
    }
    checkStaticNames(ctx, exports);
  }

  const rawPackageName = legacy ? undefined : raw['packageName'];
  if (typeof rawPackageName === 'string') {
    refs.checkText(rawPackageName, ['packageName']);
    const problem = hasReferences(rawPackageName) ? undefined : packageNameProblem(rawPackageName);
    if (problem !== undefined) problems.add('EXPORT_NAME_INVALID', ['packageName'], `${problem}: use a single folder name`);
  }

  const error = problems.toError();
  if (error) throw error;
  if (!top) throw new HfitError('TEMPLATE_INVALID', 'template is invalid'); // unreachable: top problems are listed
  const templateName = 'templateName' in top ? top.templateName : top.name;
  return {
    hfitVersion: 1,
    templateName,
    projectName: 'projectName' in top ? top.projectName : undefined,
    packageName: ('packageName' in top ? top.packageName : undefined) ?? templateName,
    prepare,
    exports,
    text,
    legacy,
    requiredInputs: refs.maxInput,
  };
}

