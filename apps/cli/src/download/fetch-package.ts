import { readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { ApiClient } from '@hfit/api-client';
import type { Artifact, BuildView } from '@hfit/contracts';
import { downloadBuildArtifact, unpackPackage, verifyPackage, type DownloadedArtifact, type UnpackedPackage } from '@hfit/package-fetch';
import { CliError } from '../errors/cli-error.js';
import { ExitCode } from '../exit-codes.js';
import { DownloadProgressRenderer } from '../render/download-progress-renderer.js';
import type { Output } from '../render/output.js';

/** Options of {@link fetchPackage}. */
export interface FetchPackageOptions {
  /** The folder packages go into (`hfit-data`). */
  readonly dir: string;
  /** Unpack into `<dir>/<packageName>/` (else keep the archive as `<dir>/<archive name>`). */
  readonly unpack: boolean;
  /** Keep the archive after unpacking it (in `<dir>/.downloads/`). */
  readonly keepArchive: boolean;
  readonly output: Output;
}

/** What `hfit pkg-download --json` prints. */
export interface FetchedPackage {
  readonly id: string;
  readonly packageName: string;
  readonly artifact: Artifact;
  /** The verified archive's sha256 (equal to the build's). */
  readonly sha256: string;
  readonly bytes: number;
  /** Bytes kept from an interrupted earlier attempt (0 when downloaded from the start). */
  readonly resumedFrom: number;
  /** The archive on disk, when kept. */
  readonly archive?: string;
  /** The unpacked package folder, every file checked against the manifest. */
  readonly dir?: string;
  /** Files unpacked, `/`-separated, relative to `dir`. */
  readonly files?: string[];
}

/** The package folder name of a build: its `packageName`, else the archive name without extension. */
function packageNameOf(build: BuildView, artifact: Artifact): string {
  return build.packageName ?? artifact.name.replace(/\.(tar\.gz|zip)$/, '');
}

async function removeIfEmpty(dir: string): Promise<void> {
  try {
    if ((await readdir(dir)).length === 0) await rmdir(dir);
  } catch {
    // already gone, or not empty any more: nothing to tidy
  }
}

/**
 * Downloads a succeeded build's archive (resuming an interrupted attempt, verifying the sha256 of
 * the build record), unpacks it safely into `<dir>/<packageName>/` and checks every file against
 * the package manifest. The archive is downloaded to `<dir>/.downloads/` and removed after
 * unpacking unless `keepArchive`.
 */
export async function fetchPackage(client: ApiClient, build: BuildView & { artifact: Artifact }, options: FetchPackageOptions): Promise<FetchedPackage> {
  const { artifact } = build;
  const packageName = packageNameOf(build, artifact);
  const file = options.unpack ? path.resolve(options.dir, '.downloads', artifact.name) : path.resolve(options.dir, artifact.name);
  const renderer = new DownloadProgressRenderer(options.output.progress(), artifact.name);
  let downloaded: DownloadedArtifact;
  try {
    downloaded = await downloadBuildArtifact(client, build, { file, onProgress: (p) => renderer.onProgress(p) });
  } catch (err) {
    // A corrupt download is deleted by downloadBuildArtifact; leave no empty .downloads behind.
    if (options.unpack) await removeIfEmpty(path.dirname(file));
    throw err;
  } finally {
    renderer.finish();
  }
  const base = { id: build.id, packageName, artifact, sha256: downloaded.sha256, bytes: downloaded.bytes, resumedFrom: downloaded.resumedFrom };
  if (!options.unpack) return { ...base, archive: downloaded.file };
  const removeArchive = async (): Promise<void> => {
    await rm(downloaded.file, { force: true });
    await removeIfEmpty(path.dirname(downloaded.file));
  };
  let unpacked: UnpackedPackage;
  try {
    unpacked = await unpackPackage(downloaded.file, { format: artifact.format, targetDir: options.dir, packageName });
  } catch (err) {
    // An archive that cannot be unpacked safely is of no use here (--keep-archive keeps it to inspect).
    if (!options.keepArchive) await removeArchive();
    throw err;
  }
  const { problems } = await verifyPackage(unpacked.dir);
  if (problems.length > 0) {
    throw new CliError(`${unpacked.dir} does not match its manifest (${problems.length} problem${problems.length === 1 ? '' : 's'})`, {
      code: 'PACKAGE_VERIFY_FAILED',
      exitCode: ExitCode.verificationFailed,
      data: { problems: problems.map((message) => ({ message })) },
    });
  }
  if (!options.keepArchive) await removeArchive();
  return { ...base, ...(options.keepArchive ? { archive: downloaded.file } : {}), dir: unpacked.dir, files: unpacked.files };
}
