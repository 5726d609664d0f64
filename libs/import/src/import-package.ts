import path from 'node:path';
import type { ManifestFile, RowFormat } from '@hfit/contracts';
import { FileFailure, failureReason, isAbort } from './errors/file-failure.js';
import { ImportFailedError } from './errors/import-failed-error.js';
import { checkVolumeDestinations, copyVolumeFiles } from './files/copy-volume-files.js';
import type { ImportEvent } from './import-event.js';
import type { ImportOptions } from './import-options.js';
import type { ImportedDdl, ImportedTable, ImportReport } from './import-report.js';
import { orderByForeignKeys } from './order/order-by-foreign-keys.js';
import { planImport, type PlannedTable } from './package/plan-import.js';
import { readPackageManifest } from './package/read-package-manifest.js';
import { packageFilePath, verifyPackageFiles } from './package/verify-package-files.js';
import { loadRowFile } from './rows/load-row-file.js';
import { runSqlFile } from './sql/run-sql-file.js';
import { ensureTargetDatabase } from './target/ensure-target-database.js';
import { openTargetSession } from './target/open-target-session.js';
import { parseImportTarget, type ImportTarget } from './target/parse-import-target.js';
import { targetTableKey, targetTableName, type TargetSession } from './target/target-session.js';

const elapsed = (since: number) => Math.round(performance.now() - since);

/** The default folder for a package's volume files: `<packageName>-files` beside the package folder. */
export function defaultFilesDir(packageDir: string, packageName: string): string {
  return path.resolve(packageDir, '..', `${packageName}-files`);
}

/**
 * Imports an unpacked package (`hfit-data/<packageName>/`) into a local MySQL/MariaDB or
 * PostgreSQL database and copies its volume files. In order:
 *
 * 1. Parses the target URL; reads `METADATA/manifest.json`; checks every listed file's size and
 *    sha256 and that volume files can be copied inside `filesDir`. Any problem stops the import
 *    before anything is written.
 * 2. Plans: the database files of sources of the target's dialect; others are skipped (reported).
 * 3. With `createDatabase`, creates the target database if missing.
 * 4. Runs the DDL files, `dbcreate` before `table-create`, one session each. On MySQL/MariaDB the
 *    package's databases map to the target database (`CREATE DATABASE` is not run, `USE x` uses
 *    the target); on PostgreSQL each DDL file runs in one transaction and the package's schemas
 *    are created as they are.
 * 5. Loads the data, parent tables first (foreign keys read from the target once its DDL is in),
 *    all files of one table in one transaction, with foreign-key checks off in the import's own
 *    sessions (MySQL `FOREIGN_KEY_CHECKS = 0`; PostgreSQL `session_replication_role = replica`,
 *    which also keeps user triggers from firing; without the privilege for it checks stay on and a
 *    warning says so). Each session is closed after its table: the server's own settings are never
 *    changed. A file whose row count differs from the manifest's fails its table.
 * 6. Copies the volume files into `filesDir` (default {@link defaultFilesDir}).
 *
 * Nothing is read whole into memory: scripts are split while streaming, COPY data streams into the
 * server, csv/ndjson rows go in bound-parameter batches.
 * @throws HfitError `IMPORT_TARGET_INVALID` (bad URL, missing database), `IMPORT_PACKAGE_INVALID`
 * (manifest or files do not match), `PATH_ESCAPE` (a volume file would land outside `filesDir`),
 * {@link ImportFailedError} (`IMPORT_FAILED`: a statement or batch failed; names the file,
 * statement number, line and statement start, and lists the tables committed before), or the
 * signal's reason when aborted.
 */
export async function importPackage(dir: string, options: ImportOptions): Promise<ImportReport> {
  try {
    return await runImport(dir, options);
  } catch (err) {
    // Streams fail with their own AbortError when aborted: the caller gets the reason it gave.
    if (isAbort(err, options.signal)) throw options.signal?.reason;
    throw err;
  }
}

async function runImport(dir: string, options: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const { signal } = options;
  const emit = (e: ImportEvent) => options.onProgress?.(e);
  const target = parseImportTarget(options.target);
  const packageDir = path.resolve(dir);

  const manifest = await readPackageManifest(packageDir);
  await verifyPackageFiles(packageDir, manifest.packageName, manifest.files, signal);
  emit({ type: 'verified', files: manifest.files.length, bytes: manifest.files.reduce((n, f) => n + f.bytes, 0) });
  const plan = planImport(manifest, target.dialect, target.database);
  const filesDir = path.resolve(options.filesDir ?? defaultFilesDir(packageDir, manifest.packageName));
  await checkVolumeDestinations(plan.volumes, filesDir);
  for (const s of plan.skipped) emit({ type: 'file-skipped', file: s.file, reason: s.reason });

  signal?.throwIfAborted();
  const created = options.createDatabase ? await ensureTargetDatabase(target) : false;
  const ddl: ImportedDdl[] = [];
  const tables: ImportedTable[] = [];
  const warnings: string[] = [];
  const run: RunContext = { target, packageDir, signal, emit, tables, warnings };

  for (const file of plan.ddl) {
    signal?.throwIfAborted();
    ddl.push(await runDdlFile(run, file));
  }
  if (plan.tables.length) {
    for (const group of await dataOrder(target, plan.tables)) {
      signal?.throwIfAborted();
      await loadTable(run, group);
    }
  }

  const files = await copyVolumeFiles(packageDir, plan.volumes, filesDir, {
    signal,
    onStart: (f) => emit({ type: 'file-started', file: f.path, kind: 'volume' }),
    onCopied: (f, c, durationMs) => emit({ type: 'file-done', file: f.path, kind: 'volume', bytes: c.bytes, durationMs }),
  });
  return {
    target: { dialect: target.dialect, database: target.database, created },
    ddl,
    tables,
    skipped: plan.skipped,
    files,
    filesDir,
    warnings,
    durationMs: elapsed(started),
  };
}

/** What the import steps share. */
interface RunContext {
  readonly target: ImportTarget;
  readonly packageDir: string;
  readonly signal: AbortSignal | undefined;
  readonly emit: (e: ImportEvent) => void;
  /** Tables committed so far (listed by a later failure). */
  readonly tables: ImportedTable[];
  readonly warnings: string[];
}

/** Runs one DDL file in a session of its own (PostgreSQL: in one transaction). */
async function runDdlFile(run: RunContext, file: ManifestFile): Promise<ImportedDdl> {
  const t0 = performance.now();
  run.emit({ type: 'file-started', file: file.path, kind: 'ddl' });
  const session = await openTargetSession(run.target, false);
  const transactional = session.dialect === 'postgres';
  try {
    if (transactional) await session.run('BEGIN');
    const result = await runSqlFile({
      session,
      path: packageFilePath(run.packageDir, file),
      file: file.path,
      kind: 'ddl',
      database: run.target.database,
      signal: run.signal,
    });
    if (transactional) await session.run('COMMIT');
    const done: ImportedDdl = { file: file.path, statements: result.statements, durationMs: elapsed(t0) };
    run.emit({ type: 'file-done', file: file.path, kind: 'ddl', statements: result.statements, durationMs: done.durationMs });
    return done;
  } catch (err) {
    if (transactional) await session.run('ROLLBACK').catch(() => undefined);
    throw failure(
      run,
      err,
      transactional ? 'this file’s DDL was rolled back' : 'its statements before this one stay applied (MySQL/MariaDB commits DDL at once)',
      file.path,
    );
  } finally {
    await session.close();
  }
}

/** The table groups in foreign-key order (parents first), read from the target after the DDL ran. */
async function dataOrder(target: ImportTarget, groups: readonly PlannedTable[]): Promise<PlannedTable[]> {
  const session = await openTargetSession(target, false);
  try {
    const edges = await session.foreignKeys(groups.map((g) => g.table));
    const byKey = new Map(groups.map((g) => [targetTableKey(g.table), g]));
    const order = orderByForeignKeys(
      [...byKey.keys()],
      edges.map(([child, parent]) => [targetTableKey(child), targetTableKey(parent)] as const),
    );
    return order.map((k) => byKey.get(k)!);
  } finally {
    await session.close();
  }
}

/** Loads every data file of one table in one transaction, in a session of its own. */
async function loadTable(run: RunContext, group: PlannedTable): Promise<void> {
  const name = targetTableName(group.table);
  const session = await openTargetSession(run.target, true);
  if (!session.checksOff && !run.warnings.length)
    run.warnings.push(
      `foreign-key checks stay on: user ${run.target.user} may not set session_replication_role on ${run.target.display}; tables load parents first, but rows referencing rows the package does not hold will fail`,
    );
  const done: ImportedTable[] = [];
  try {
    await session.run(session.dialect === 'mysql' ? 'START TRANSACTION' : 'BEGIN');
    for (const planned of group.files) {
      run.signal?.throwIfAborted();
      done.push(await loadFile(run, session, planned.file, planned.format, group));
    }
    await session.run('COMMIT');
  } catch (err) {
    await session.run('ROLLBACK').catch(() => undefined);
    throw failure(run, err, `table ${name} was rolled back: none of its rows were kept`, group.files[0]?.file.path ?? name);
  } finally {
    await session.close();
  }
  run.tables.push(...done);
  run.emit({ type: 'table-committed', table: name, rows: done.reduce((n, t) => n + t.rows, 0) });
}

/** Loads one data file inside the table's transaction and checks its row count against the manifest. */
async function loadFile(run: RunContext, session: TargetSession, file: ManifestFile, format: RowFormat, group: PlannedTable): Promise<ImportedTable> {
  const t0 = performance.now();
  const table = targetTableName(group.table);
  run.emit({ type: 'file-started', file: file.path, kind: 'data', table });
  const onRows = (rows: number) => run.emit({ type: 'rows', file: file.path, table, rows, expected: file.rows });
  const filePath = packageFilePath(run.packageDir, file);
  const rows =
    format === 'csv' || format === 'ndjson'
      ? await loadRowFile({ session, path: filePath, file: file.path, format, table: group.table, signal: run.signal, onRows })
      : (await runSqlFile({ session, path: filePath, file: file.path, kind: 'data', database: run.target.database, signal: run.signal, onRows })).rows;
  if (file.rows !== undefined && rows !== file.rows)
    throw new FileFailure({ file: file.path }, `loaded ${rows} rows into ${table}, the manifest lists ${file.rows}`);
  const durationMs = elapsed(t0);
  run.emit({ type: 'file-done', file: file.path, kind: 'data', table, rows, durationMs });
  return { table, file: file.path, rows, durationMs };
}

/** The error a failed file becomes: the abort reason as is, else {@link ImportFailedError}. */
function failure(run: RunContext, err: unknown, undone: string, file: string): unknown {
  if (isAbort(err, run.signal)) return err;
  const f = err instanceof FileFailure ? err : new FileFailure({ file }, failureReason(err), { cause: err });
  const { point } = f;
  let where = '';
  if (point.statement !== undefined) {
    const line = point.line === undefined ? '' : point.unit === 'batch' ? `, rows from line ${point.line}` : ` (line ${point.line})`;
    where = point.unit === 'batch' ? `, statement ${point.statement} (INSERT batch${line})` : `, statement ${point.statement}${line}`;
  }
  const excerpt = point.excerpt ? ` [statement: ${point.excerpt}]` : '';
  const names = [...new Set(run.tables.map((t) => t.table))];
  const before = names.length ? ` Tables imported before stay imported: ${names.join(', ')}.` : ' No table was imported before it.';
  const summary = `${point.file}${where}: ${f.reason}${excerpt}`;
  const message = `import into ${run.target.display} failed at ${summary}. ${capitalize(undone)}.${before}`;
  return new ImportFailedError(point, message, summary, [...run.tables], f.cause ?? f);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
