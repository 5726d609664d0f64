import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ArchiveFormatSchema, HfitError } from '@hfit/contracts';
import type { ArchiveFormat } from '@hfit/contracts';
import type { ArchiveEntryVisitor } from './archive-entry-visitor.js';
import { archiveUnsafe, entryUnsafe } from './archive-unsafe.js';
import { EntryGuard } from './entry-guard.js';
import { forEachTarGzEntry } from './for-each-tar-gz-entry.js';
import { forEachZipEntry } from './for-each-zip-entry.js';
import { packageNameProblem } from './relative-path-problem.js';
import { StagingFolder } from './staging-folder.js';
import { DEFAULT_UNPACK_LIMITS, type UnpackLimits } from './unpack-limits.js';

/** Options of {@link unpackPackage}. */
export interface UnpackPackageOptions extends Partial<UnpackLimits> {
  readonly format: ArchiveFormat;
  /** The folder that holds package folders, e.g. `hfit-data`; created if missing. */
  readonly targetDir: string;
  /** The archive's one top folder, and the folder created under `targetDir`. */
  readonly packageName: string;
}

/** What {@link unpackPackage} unpacked. */
export interface UnpackedPackage {
  /** The package folder: `<targetDir>/<packageName>`, absolute. */
  readonly dir: string;
  /** Every file written, as `/`-separated paths under `dir`, in archive order. */
  readonly files: string[];
}

/**
 * Extra tar bytes allowed beyond the files' bytes: headers, PAX records and padding per entry, and
 * the end-of-archive blocks (tar pads its output to 10 KiB records).
 */
const TAR_OVERHEAD_PER_ENTRY = 8 * 1024;
const TAR_OVERHEAD = 1024 * 1024;

function checkOptions(archiveFile: string, options: UnpackPackageOptions): UnpackLimits {
  if (typeof archiveFile !== 'string' || archiveFile === '') {
    throw new HfitError('ARCHIVE_OPTIONS_INVALID', 'archiveFile must be the path of the downloaded archive', { field: 'archiveFile' });
  }
  if (!ArchiveFormatSchema.safeParse(options.format).success) {
    throw new HfitError('FORMAT_UNSUPPORTED', `archive format ${JSON.stringify(options.format)} is not supported: use "tar.gz" or "zip"`, { field: 'format' });
  }
  if (typeof options.targetDir !== 'string' || options.targetDir === '') {
    throw new HfitError('ARCHIVE_OPTIONS_INVALID', 'targetDir must be the folder to unpack into, e.g. "hfit-data"', { field: 'targetDir' });
  }
  const limits = { ...DEFAULT_UNPACK_LIMITS, ...definedLimits(options) };
  for (const field of ['maxTotalBytes', 'maxEntries'] as const) {
    if (!Number.isSafeInteger(limits[field]) || limits[field] < 1) {
      throw new HfitError('ARCHIVE_OPTIONS_INVALID', `${field} must be a positive integer (default ${DEFAULT_UNPACK_LIMITS[field]}), got ${String(limits[field])}`, { field });
    }
  }
  return limits;
}

function definedLimits(options: Partial<UnpackLimits>): Partial<UnpackLimits> {
  return {
    ...(options.maxTotalBytes === undefined ? {} : { maxTotalBytes: options.maxTotalBytes }),
    ...(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries }),
  };
}

/**
 * Unpacks a package archive into `<targetDir>/<packageName>/`, refusing anything that could land
 * elsewhere or is not a plain file or folder (see {@link EntryGuard}: `..`, absolute and drive
 * paths, `\`, NUL, entries outside `<packageName>/`, links of every kind, devices, FIFOs,
 * duplicates) and stopping at the size and entry limits (defaults {@link DEFAULT_UNPACK_LIMITS}).
 *
 * The archive is streamed, never held in memory. Everything is written into a hidden staging
 * folder next to the package folder, which replaces the package folder only once complete (by
 * renames): on any failure the staging folder is removed and an existing package folder stays as
 * it was. Files get mode 0644 and folders 0755, whatever the archive says. Staging folders left by
 * killed processes are removed on the next unpack of the same package.
 * @throws HfitError `ARCHIVE_UNSAFE` naming the entry and why (also for an invalid archive, one
 *   without any file, and the limits), `FILE_NOT_FOUND` (no archive file), `FORMAT_UNSUPPORTED`, `ARCHIVE_OPTIONS_INVALID`;
 *   system errors of the target (disk full, permission denied) as they are.
 */
export async function unpackPackage(archiveFile: string, options: UnpackPackageOptions): Promise<UnpackedPackage> {
  const limits = checkOptions(archiveFile, options);
  const archive = path.basename(archiveFile);
  const nameProblem = packageNameProblem(options.packageName);
  if (nameProblem !== undefined) {
    throw archiveUnsafe(archive, `the package name ${JSON.stringify(options.packageName)} ${nameProblem}, so it cannot be a folder name`);
  }
  const isFile = await stat(archiveFile).then(
    (s) => s.isFile(),
    (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return false;
      throw e;
    },
  );
  if (!isFile) throw new HfitError('FILE_NOT_FOUND', `the archive ${archiveFile} does not exist or is not a file: download it again`, { field: 'archiveFile' });

  const guard = new EntryGuard(archive, options.packageName, limits);
  const staging = await StagingFolder.create(path.resolve(options.targetDir), options.packageName);
  let written = 0;
  const visit: ArchiveEntryVisitor = async (header, open) => {
    const entry = guard.check(header);
    if (entry.kind === 'directory') {
      await staging.directory(entry.segments);
      return;
    }
    let bytes = 0;
    await staging.file(entry.segments, await open(), (chunk) => {
      bytes += chunk.byteLength;
      written += chunk.byteLength;
      if (bytes > entry.size) throw entryUnsafe(archive, header.name, `holds more bytes than the ${entry.size} its header declares`);
      if (written > limits.maxTotalBytes) throw archiveUnsafe(archive, `its files hold more than ${limits.maxTotalBytes} bytes (the maxTotalBytes limit)`);
    });
    if (bytes !== entry.size) throw entryUnsafe(archive, header.name, `holds ${bytes} bytes, not the ${entry.size} its header declares`);
  };
  try {
    if (options.format === 'zip') {
      await forEachZipEntry(archiveFile, archive, limits.maxEntries, visit);
    } else {
      const maxTarBytes = limits.maxTotalBytes + (limits.maxEntries + 1) * TAR_OVERHEAD_PER_ENTRY + TAR_OVERHEAD;
      await forEachTarGzEntry(archiveFile, archive, maxTarBytes, visit);
    }
    // Replacing a package with an empty folder would only lose the old one.
    if (guard.files.length === 0) throw archiveUnsafe(archive, `it holds no file under "${options.packageName}/"`);
    await staging.commit();
  } catch (e) {
    await staging.discard();
    throw e;
  }
  return { dir: staging.target, files: guard.files };
}
