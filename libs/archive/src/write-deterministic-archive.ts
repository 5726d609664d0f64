import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HfitError, isHfitError, type ErrorDetail } from '@hfit/contracts';
import { TarArchive, ZipArchive, type Archiver, type EntryData } from 'archiver';
import { ARCHIVE_DIR_MODE, ARCHIVE_FILE_MODE, ARCHIVE_MTIME, DEFAULT_ARCHIVE_LEVELS } from './archive-constants.js';
import { ArchiveFormats, type ArchiveEntry, type ArchiveFormat } from './archive-entry.js';
import { GzipHeaderNormaliser } from './gzip-header-normaliser.js';
import { HashingPassThrough } from './hashing-pass-through.js';
import { planArchiveEntries, type PlannedArchiveEntry } from './plan-archive-entries.js';

/** Options of {@link writeDeterministicArchive}. */
export interface WriteDeterministicArchiveOptions {
  readonly format: ArchiveFormat;
  /** The one folder that holds everything in the archive, usually the package name. */
  readonly topFolder: string;
  /** The files, in any order: the archive order is fixed by their paths. */
  readonly entries: readonly ArchiveEntry[];
  /** Where the archive bytes go; it is ended on success and destroyed on failure. */
  readonly out: Writable;
  /** zlib level 0–9; defaults to {@link DEFAULT_ARCHIVE_LEVELS} (6 for tar.gz, 1 for zip). */
  readonly level?: number;
}

/** What was written to `out`. */
export interface ArchiveResult {
  readonly bytes: number;
  /** Lower-case hex SHA-256 of the archive bytes. */
  readonly sha256: string;
}

/**
 * Writes a tar.gz or zip archive of `entries` under one top folder to `out`, byte for byte the same
 * for the same top folder, paths, file contents, format and level: on every run and, given the
 * same zlib build (the Node.js runtime the project pins), on every machine.
 *
 * What makes it deterministic: entries sorted by the byte order of their names, after an explicit
 * entry for the top folder and for every folder (mode 0755); files mode 0644; every mtime
 * {@link ARCHIVE_MTIME}; tar uid/gid 0 with empty user and group names, ustar headers (a PAX header
 * holding only the path for names ustar cannot hold); a gzip header with MTIME 0, no file name and
 * OS 3; zip with a fixed DOS date, Unix modes and no extra fields (no extended timestamps). Input
 * files contribute their bytes only, never their mtime, mode or owner.
 *
 * Files are streamed with backpressure, one at a time, each opened only when its turn comes, so
 * memory stays bounded whatever their size. Every file is checked before the first byte is written.
 * @throws HfitError `EXPORT_NAME_INVALID` (unsafe top folder or path, duplicates; see
 *   {@link planArchiveEntries}), `FORMAT_UNSUPPORTED`, `ARCHIVE_OPTIONS_INVALID` (level, out),
 *   `FILE_NOT_FOUND` (a missing or non-regular input file), `ARCHIVE_FAILED` (reading an input or
 *   writing `out` failed; not permanent).
 */
export async function writeDeterministicArchive(opts: WriteDeterministicArchiveOptions): Promise<ArchiveResult> {
  const { format, level } = checkOptions(opts);
  const planned = planArchiveEntries(opts.topFolder, opts.entries);
  await checkInputFiles(planned);

  const archive: Archiver = format === 'zip' ? new ZipArchive({ zlib: { level } }) : new TarArchive({ gzip: true, gzipOptions: { level } });
  // archiver emits errors from its format module and compressor on itself, sometimes after the
  // pipeline has let go of it (after a failure): keep a listener so such an error cannot crash the process.
  let archiverError: unknown;
  archive.on('error', (e: unknown) => (archiverError ??= e));
  archive.on('warning', (e: unknown) => (archiverError ??= e));

  const hashing = new HashingPassThrough();
  const written =
    format === 'tar.gz' ? pipeline(archive, new GzipHeaderNormaliser(), hashing, opts.out) : pipeline(archive, hashing, opts.out);
  // Settles only if the pipeline fails, so that feeding cannot wait forever on a dead archive.
  const pipelineFailed = written.then(() => new Promise<never>(() => undefined));
  const feed = async (): Promise<void> => {
    for (const entry of planned) await appendEntry(archive, entry);
    await archive.finalize();
  };
  try {
    await Promise.race([feed(), pipelineFailed]);
    await written;
  } catch (e) {
    const error = archiveError(format, archiverError ?? e);
    // Stops archiver's queue; destroying the archive also fails a pending append, whose input
    // stream is then destroyed (see appendEntry), and the pipeline destroys `out`.
    archive.abort();
    archive.destroy(error);
    await written.catch(() => undefined);
    throw error;
  }
  return { bytes: hashing.bytes, sha256: hashing.sha256() };
}

function checkOptions(opts: WriteDeterministicArchiveOptions): { format: ArchiveFormat; level: number } {
  const format: unknown = opts.format;
  if (!ArchiveFormats.includes(format as ArchiveFormat)) {
    throw new HfitError('FORMAT_UNSUPPORTED', `archive format ${JSON.stringify(format)} is not supported: use ${ArchiveFormats.map((f) => `"${f}"`).join(' or ')}`, { field: 'format' });
  }
  const f = format as ArchiveFormat;
  const level = opts.level ?? DEFAULT_ARCHIVE_LEVELS[f];
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new HfitError('ARCHIVE_OPTIONS_INVALID', `compression level ${String(level)} is invalid: use an integer from 0 (store) to 9 (smallest), or leave it out for ${DEFAULT_ARCHIVE_LEVELS[f]}`, { field: 'level' });
  }
  if (!Array.isArray(opts.entries)) {
    throw new HfitError('ARCHIVE_OPTIONS_INVALID', 'entries must be an array of { path, file } or { path, content }', { field: 'entries' });
  }
  if (typeof (opts.out as Partial<Writable> | undefined)?.write !== 'function') {
    throw new HfitError('ARCHIVE_OPTIONS_INVALID', 'out must be a writable stream, e.g. fs.createWriteStream(path)', { field: 'out' });
  }
  return { format: f, level };
}

/** Fails before anything is written when an input file is missing or not a regular file. */
async function checkInputFiles(planned: readonly PlannedArchiveEntry[]): Promise<void> {
  const problems: ErrorDetail[] = [];
  for (const entry of planned) {
    if (entry.kind !== 'file') continue;
    const problem = await stat(entry.file).then(
      (s) => (s.isFile() ? undefined : 'is not a regular file'),
      (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? 'does not exist' : `cannot be read (${e.code ?? e.message})`),
    );
    if (problem !== undefined) problems.push({ message: `archive entry "${entry.name}": file ${entry.file} ${problem}` });
  }
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new HfitError('FILE_NOT_FOUND', `${problems[0]!.message}${more}`, { details: problems });
  }
}

/**
 * Appends one entry and resolves once archiver has written all of it. Opening files one at a time
 * keeps one descriptor open; passing the size (as `stats`) makes archiver's tar stream the file,
 * where for a stream of unknown size it would collect the whole entry in memory first.
 */
async function appendEntry(archive: Archiver, entry: PlannedArchiveEntry): Promise<void> {
  const common = { name: entry.name, date: ARCHIVE_MTIME };
  if (entry.kind === 'directory') {
    await appended(archive, () => archive.append(Buffer.alloc(0), { ...common, type: 'directory', mode: ARCHIVE_DIR_MODE }));
    return;
  }
  const data: EntryData = { ...common, type: 'file', mode: ARCHIVE_FILE_MODE };
  if (entry.kind === 'content') {
    await appended(archive, () => archive.append(Buffer.from(entry.content.buffer, entry.content.byteOffset, entry.content.byteLength), data));
    return;
  }
  const handle = await open(entry.file, 'r');
  let stats: Stats;
  try {
    stats = await handle.stat();
    if (!stats.isFile()) throw new HfitError('FILE_NOT_FOUND', `archive entry "${entry.name}": file ${entry.file} is not a regular file`);
  } catch (e) {
    await handle.close();
    throw e;
  }
  if (stats.size === 0) {
    // An empty Buffer, like an empty content entry, so both give the same bytes (zip would store an
    // empty stream as a deflated entry but an empty buffer as a stored one).
    await handle.close();
    await appended(archive, () => archive.append(Buffer.alloc(0), data));
    return;
  }
  // Reading exactly `size` bytes: the header already says how many follow.
  const source = handle.createReadStream({ start: 0, end: stats.size - 1 });
  try {
    await appended(archive, () => archive.append(source, { ...data, stats }), source);
  } finally {
    source.destroy();
  }
}

/** Runs `append` and waits for archiver's `entry` event, or fails on an archiver or source error. */
function appended(archive: Archiver, append: () => void, source?: Readable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (e?: unknown): void => {
      archive.off('entry', onEntry);
      archive.off('error', done);
      source?.off('error', done);
      if (e === undefined) resolve();
      else reject(e instanceof Error ? e : new Error(String(e)));
    };
    const onEntry = (): void => done();
    archive.once('entry', onEntry);
    archive.once('error', done);
    source?.once('error', done);
    append();
  });
}

function archiveError(format: ArchiveFormat, e: unknown): HfitError {
  if (isHfitError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new HfitError('ARCHIVE_FAILED', `writing the ${format} archive failed: ${message}`, { cause: e, permanent: false });
}
