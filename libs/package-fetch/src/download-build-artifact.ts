import { createHash, type Hash } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { isApiError, type ApiClient, type ArtifactDownload } from '@hfit/api-client';
import { HfitError } from '@hfit/contracts';
import type { BuildView } from '@hfit/contracts';
import { DownloadInterruptedError } from './download-interrupted-error.js';
import { downloadableArtifact } from './downloadable-artifact.js';
import { hashFile } from './hash-file.js';
import { PartialDownload, type HeldBytes } from './partial-download.js';

/** Progress of {@link downloadBuildArtifact}. */
export interface DownloadProgress {
  /** Bytes of the archive held so far, including those of an earlier attempt. */
  readonly received: number;
  /** Size of the whole archive. */
  readonly total: number;
  /** Bytes of an earlier attempt this one resumed after (0 for a download from the start). */
  readonly resumedFrom: number;
}

/** Options of {@link downloadBuildArtifact}. */
export interface DownloadBuildArtifactOptions {
  /** Where the archive goes, e.g. `hfit-data/.downloads/<packageName>.tar.gz`; its folder is created. */
  readonly file: string;
  /** Stops the download; the bytes received are kept for the next attempt. */
  readonly signal?: AbortSignal;
  /** Called once the transfer starts and after every chunk written. */
  readonly onProgress?: (progress: DownloadProgress) => void;
}

/** A downloaded and verified archive. */
export interface DownloadedArtifact {
  /** The archive, absolute. */
  readonly file: string;
  /** Its sha256 (hex), equal to the build's. */
  readonly sha256: string;
  readonly bytes: number;
  /** Bytes of an earlier attempt that were kept (0 when the whole archive was transferred now). */
  readonly resumedFrom: number;
}

/** The response to read, and the bytes already held before it. */
interface Transfer {
  readonly download: ArtifactDownload;
  readonly resumedFrom: number;
  readonly hash: Hash;
}

function corrupt(build: BuildView, why: string): HfitError {
  return new HfitError(
    'DOWNLOAD_CORRUPT',
    `The download of build ${build.id} is corrupt: ${why}. The download was deleted: run the command again to download it anew`,
    { permanent: false },
  );
}

/**
 * Asks for the rest of the archive after `held.bytes`, under `If-Range` with the ETag the bytes
 * came with. Falls back to the whole archive (and drops the held bytes) when the server answers
 * with the whole archive (it changed, or the server ignores ranges), a range not asked for, or 416.
 */
async function startTransfer(client: ApiClient, build: BuildView, partial: PartialDownload, held: HeldBytes, signal: AbortSignal | undefined): Promise<Transfer> {
  if (held.bytes > 0) {
    const hash = createHash('sha256');
    const read = await hashFile(hash, partial.part, held.bytes);
    if (read === held.bytes) {
      const resumed = await client.builds
        .downloadArtifact(build.id, { range: { start: held.bytes }, ...(held.etag === undefined ? {} : { ifRange: held.etag }), ...(signal === undefined ? {} : { signal }) })
        .catch((e: unknown) => {
          // 416: the server has fewer bytes than we hold; the held bytes cannot be right.
          if (isApiError(e) && e.status === 416) return undefined;
          throw e;
        });
      if (resumed?.status === 206 && resumed.range?.start === held.bytes) return { download: resumed, resumedFrom: held.bytes, hash };
      await partial.discard();
      if (resumed?.status === 200) return { download: resumed, resumedFrom: 0, hash: createHash('sha256') };
      await resumed?.body.cancel();
    } else {
      await partial.discard();
    }
  }
  const download = await client.builds.downloadArtifact(build.id, signal === undefined ? {} : { signal });
  return { download, resumedFrom: 0, hash: createHash('sha256') };
}

/**
 * Downloads a succeeded build's archive to `options.file`, resumably and verified.
 *
 * Bytes stream into `<file>.part`, beside `<file>.part.json` (build id, sha256, size, ETag). An
 * attempt that stops (network error, abort) keeps both; the next download of the same build's
 * archive to the same file resumes with `Range: bytes=<held>-` and `If-Range: <ETag>`, and starts
 * over when the server answers with the whole archive instead. Everything, the kept bytes re-read
 * from disk included, is hashed and checked against `build.artifact.sha256`; only then is the
 * `.part` renamed to `file` (atomically, replacing an existing file) and the record removed.
 * @throws HfitError `BUILD_NOT_FINISHED`, `BUILD_CANCELLED` or `ARTIFACT_MISSING` before any
 *   request when the build has no archive; `DOWNLOAD_CORRUPT` when the bytes do not match (the
 *   partial files are deleted first). {@link DownloadInterruptedError} when the transfer stopped
 *   early; `signal.reason` when aborted; `ApiError`/`ApiUnreachableError` from the request; file
 *   system errors (disk full) as they are. In all these cases but corruption, the `.part` is kept.
 */
export async function downloadBuildArtifact(client: ApiClient, build: BuildView, options: DownloadBuildArtifactOptions): Promise<DownloadedArtifact> {
  const artifact = downloadableArtifact(build);
  if (typeof options.file !== 'string' || options.file === '') throw new TypeError('options.file must be the path to download the archive to');
  const file = path.resolve(options.file);
  await mkdir(path.dirname(file), { recursive: true });
  const partial = new PartialDownload(file);
  const { signal, onProgress } = options;

  const held = await partial.held(build.id, artifact);
  let received: number;
  let resumedFrom: number;
  let hash: Hash;
  if (held.bytes > 0 && held.bytes === artifact.size) {
    // Every byte arrived earlier, but the check or the rename did not happen: check them now.
    hash = createHash('sha256');
    received = await hashFile(hash, partial.part, held.bytes);
    resumedFrom = held.bytes;
  } else {
    const transfer = await startTransfer(client, build, partial, held, signal);
    const { download } = transfer;
    ({ hash, resumedFrom } = transfer);
    if (download.sha256 !== undefined && download.sha256 !== artifact.sha256) {
      await download.body.cancel();
      await partial.discard();
      throw corrupt(build, `the server sends an archive with sha256 ${download.sha256}, but the build published ${artifact.sha256}`);
    }
    if (resumedFrom === 0) await partial.begin({ buildId: build.id, sha256: artifact.sha256, size: artifact.size, etag: download.etag });
    received = await receive(build, download, partial, hash, { received: resumedFrom, total: artifact.size, resumedFrom }, signal, onProgress);
  }

  if (received > artifact.size) {
    await partial.discard();
    throw corrupt(build, `the server sent more than the ${artifact.size} bytes of the archive`);
  }
  const sha256 = hash.digest('hex');
  if (sha256 !== artifact.sha256) {
    await partial.discard();
    throw corrupt(build, `its sha256 is ${sha256}, but the build published ${artifact.sha256}`);
  }
  await rename(partial.part, file);
  await rm(partial.record, { force: true });
  return { file, sha256, bytes: received, resumedFrom };
}

/**
 * Appends the response body to `.part`, hashing it. Stops reading once more bytes arrive than the
 * archive has (returns the count, which the caller treats as corruption).
 * @returns bytes held at the end (those before the response included).
 */
async function receive(
  build: BuildView,
  download: ArtifactDownload,
  partial: PartialDownload,
  hash: Hash,
  start: DownloadProgress,
  signal: AbortSignal | undefined,
  onProgress: ((progress: DownloadProgress) => void) | undefined,
): Promise<number> {
  const { total, resumedFrom } = start;
  let received = start.received;
  const handle = await open(partial.part, resumedFrom === 0 ? 'w' : 'a');
  const reader = download.body.getReader();
  let finished = false;
  try {
    onProgress?.({ received, total, resumedFrom });
    for (;;) {
      let result: Awaited<ReturnType<typeof reader.read>>;
      try {
        result = await reader.read();
      } catch (e) {
        if (signal?.aborted === true) throw signal.reason;
        throw new DownloadInterruptedError(build.id, received, total, partial.part, e);
      }
      if (result.done) break;
      const chunk = result.value;
      if (received + chunk.byteLength > total) return received + chunk.byteLength;
      await handle.write(chunk);
      hash.update(chunk);
      received += chunk.byteLength;
      onProgress?.({ received, total, resumedFrom });
    }
    finished = true;
    if (received < total) {
      throw new DownloadInterruptedError(build.id, received, total, partial.part, new Error('the answer ended early'));
    }
    await handle.sync();
    return received;
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    await handle.close();
  }
}
