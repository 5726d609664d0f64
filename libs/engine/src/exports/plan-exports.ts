import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { findVolume, type VolumeConfig } from '@hfit/config';
import { HfitError, type ExportType } from '@hfit/contracts';
import { compileOptionalFilter, exportTableRows, parseTableRef, readDatabaseDdl, readTableDdl, type ExtractionSession } from '@hfit/db';
import { assertNoExportNameConflicts, sanitiseExportName, type QueryParts, type ResolvedExport } from '@hfit/templates';
import type { Authorize, BuildOptions, EngineConfig } from '../engine-config.js';
import type { SourceSessions } from '../source-sessions.js';
import { checkVolumePath, findVolumeFiles, openVolumeFile, type VolumeFileAuthorize } from '../volumes/volume-files.js';
import { type PackageWriter, writeText } from './package-writer.js';

/** An export checked against the sources and volumes, ready to write. */
export interface PlannedExport {
  /** Export key as written in the template. */
  readonly key: string;
  readonly type: ExportType;
  /** Package paths it will write (one, or several for `files`). */
  readonly paths: readonly string[];
  run(writer: PackageWriter, signal?: AbortSignal): Promise<void>;
}

/** Adds the export's location to errors that have none. */
function located(spec: ResolvedExport, field: string, err: unknown): unknown {
  if (err instanceof HfitError && err.field === undefined) {
    const line = spec.fieldLines[field] ?? spec.line;
    return new HfitError(err.code, `export "${spec.key}": ${err.message}`, {
      field: `exports.${spec.key}.${field}`,
      ...(line === undefined ? {} : { line }),
      details: err.details,
      permanent: err.permanent,
      cause: err,
    });
  }
  return err;
}

/** Runs one check of an export, attributing its errors to `field`. */
async function checking<T>(spec: ResolvedExport, field: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw located(spec, field, err);
  }
}

/** Quotes a variable's value as an SQL string literal of the dialect, for the filter parser only. */
function filterLiteral(value: string, dialect: 'mysql' | 'postgres'): string {
  if (value.includes('\0')) throw new HfitError('FILTER_REJECTED', 'a variable used in the filter contains a NUL byte');
  const body = dialect === 'mysql' ? value.replace(/\\/g, '\\\\').replace(/'/g, "''") : value.replace(/'/g, "''");
  return `'${body}'`;
}

/**
 * Puts variable values into a filter as quoted string literals. The text is then parsed, checked
 * and rebuilt by the filter compiler, which sends every literal as a bound parameter: a value can
 * never change the filter's structure. (References inside quotes were refused when binding.)
 */
function filterText(filter: QueryParts, dialect: 'mysql' | 'postgres'): string {
  let text = filter.parts[0] ?? '';
  filter.params.forEach((v, i) => (text += filterLiteral(v, dialect) + filter.parts[i + 1]!));
  return text;
}

/**
 * Authorises what a database export names before its source is opened: each table of a
 * `table-create`, each database of a `dbcreate` (its tables follow once the catalog lists them).
 */
function authorizeDatabaseExport(spec: ResolvedExport & { type: 'dbcreate' | 'table-create' }, authorize: Authorize): void {
  const source = spec.data.dbms;
  for (const item of spec.data.tablelist) {
    if (spec.type === 'dbcreate') authorize({ kind: 'database', source, database: item });
    else authorize({ kind: 'table', source, ...parseTableRef(item, 'data.tablelist') });
  }
}

async function planDatabaseExport(
  spec: ResolvedExport & { type: 'dbcreate' | 'table-create' },
  session: ExtractionSession,
  authorize: Authorize | undefined,
): Promise<PlannedExport> {
  const list = spec.data.tablelist;
  await checking(spec, 'data.tablelist', async () => {
    if (spec.type === 'dbcreate') {
      for (const d of list) {
        const database = await session.catalog.database(d);
        // The DDL of every table of the database is read: each must be granted.
        if (authorize) for (const table of await session.catalog.listTables(database)) authorize({ kind: 'table', source: spec.data.dbms, database, table });
      }
    } else for (const t of list) await session.catalog.table(t);
  });
  const option = spec.type === 'table-create' ? spec.data.option : undefined;
  const opts = option === undefined ? {} : { option };
  return {
    key: spec.key,
    type: spec.type,
    paths: [spec.name],
    run: async (w) => {
      await w.write(spec.name, spec.key, spec.type, async (out) => {
        const ddl = spec.type === 'dbcreate' ? await readDatabaseDdl(session, list, opts) : await readTableDdl(session, list, opts);
        await writeText(out, ddl);
        return { source: spec.data.dbms, ...(spec.type === 'table-create' ? { tables: [...list] } : {}) };
      });
    },
  };
}

async function planTableData(
  spec: ResolvedExport & { type: 'table-data' },
  session: ExtractionSession,
  batchSize: number,
  options: BuildOptions,
): Promise<PlannedExport> {
  const { dbms, format } = spec.data;
  const table = await checking(spec, 'data.table', () => session.catalog.table(spec.data.table));
  const dialect = session.connection.type;
  const filter = spec.data.filter;
  const compiled = filter && (await checking(spec, 'data.filter', () => compileOptionalFilter(filterText(filter, dialect), { dialect, table, catalog: session.catalog })));
  const where = compiled ? compiled.expression : undefined;
  if (format === 'copy' && dialect !== 'postgres')
    throw located(spec, 'data.format', new HfitError('FORMAT_UNSUPPORTED', `format "copy" is PostgreSQL only and source "${dbms}" is MySQL: use sql, csv or ndjson`));
  const transforms = options.transformsFor?.(dbms, table);
  const rowsBatch = spec.data.batchSize ?? batchSize;
  return {
    key: spec.key,
    type: spec.type,
    paths: [spec.name],
    run: async (w, signal) => {
      await w.write(spec.name, spec.key, spec.type, async (out) => {
        const r = await exportTableRows(session, { table, where, format, batchSize: rowsBatch, transforms, signal }, out);
        return { rows: r.rows, tables: [`${table.database}.${table.name}`], source: dbms, format };
      });
    },
  };
}

async function planVolumeExport(spec: ResolvedExport & { type: 'file' | 'files' }, volume: VolumeConfig, authorize: Authorize | undefined): Promise<PlannedExport> {
  // The real path of every file opened is authorised too (a symlink inside the root may lead elsewhere in it).
  const real: VolumeFileAuthorize | undefined = authorize && ((path) => authorize({ kind: 'volume-file', volume: volume.name, path }));
  if (spec.type === 'file') {
    const rel = spec.data.path;
    real?.(checkVolumePath(volume, rel));
    // Checks existence and confinement now; the copy opens (and checks) the file again.
    await (await openVolumeFile(volume, rel, undefined, real)).handle.close();
    return {
      key: spec.key,
      type: 'file',
      paths: [spec.name],
      run: async (w) => {
        await w.write(spec.name, spec.key, 'file', (out) => copyVolumeFile(volume, rel, out, real));
      },
    };
  }
  authorize?.({ kind: 'volume', volume: volume.name });
  const files = await findVolumeFiles(volume, spec.data.glob, { key: 'name', order: 'asc' });
  if (!files.length)
    throw new HfitError('GLOB_NO_MATCH', `no file on volume "${volume.name}" matches "${spec.data.glob}": check the glob and the inputs`);
  // Every match must be granted: one that is not fails the build rather than being left out quietly.
  if (real) for (const f of files) real(f.path);
  const paths = files.map((f) => sanitiseExportName(`${spec.data.dir}/${f.path}`, spec.key));
  return {
    key: spec.key,
    type: 'files',
    paths,
    run: async (w) => {
      for (const [i, f] of files.entries()) await w.write(paths[i]!, spec.key, 'files', (out) => copyVolumeFile(volume, f.path, out, real));
    },
  };
}

/**
 * Checks every (substituted) export before any data is written: sources, databases, tables, filter
 * columns, formats, volumes and files. A template that passes here fails later only for reasons
 * outside it (a lost connection, a file removed meanwhile).
 */
export async function planExports(
  specs: readonly ResolvedExport[],
  sessions: SourceSessions,
  config: EngineConfig,
  options: BuildOptions,
): Promise<PlannedExport[]> {
  const planned: PlannedExport[] = [];
  for (const spec of specs) {
    try {
      switch (spec.type) {
        case 'dbcreate':
        case 'table-create': {
          if (options.authorize) await checking(spec, 'data.tablelist', () => authorizeDatabaseExport(spec, options.authorize!));
          const session = await checking(spec, 'data.dbms', () => sessions.get(spec.data.dbms));
          planned.push(await planDatabaseExport(spec, session, options.authorize));
          break;
        }
        case 'table-data': {
          // Before the source is opened.
          const authorize = options.authorize;
          if (authorize) await checking(spec, 'data.table', () => authorize({ kind: 'table', source: spec.data.dbms, ...parseTableRef(spec.data.table) }));
          const session = await checking(spec, 'data.dbms', () => sessions.get(spec.data.dbms));
          planned.push(await planTableData(spec, session, config.batchSize, options));
          break;
        }
        case 'file':
        case 'files': {
          const volume = await checking(spec, 'data.volume', () => findVolume(config, spec.data.volume));
          planned.push(await planVolumeExport(spec, volume, options.authorize));
          break;
        }
      }
    } catch (err) {
      throw located(spec, spec.type === 'file' ? 'data.path' : spec.type === 'files' ? 'data.glob' : 'data', err);
    }
  }
  assertNoExportNameConflicts(planned.flatMap((p) => p.paths.map((name) => ({ name, key: p.key }))));
  return planned;
}

async function copyVolumeFile(volume: VolumeConfig, rel: string, out: Writable, authorize: VolumeFileAuthorize | undefined): Promise<{ source: string }> {
  const opened = await openVolumeFile(volume, rel, undefined, authorize);
  try {
    // `end: false`: the package writer owns `out` and ends it after hashing.
    await pipeline(opened.handle.createReadStream({ autoClose: false }), out, { end: false });
  } finally {
    await opened.handle.close();
  }
  return { source: volume.name };
}
