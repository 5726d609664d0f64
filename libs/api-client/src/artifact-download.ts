import { contentDispositionFilename } from './content-disposition-filename.js';
import { parseContentRange } from './content-range.js';

/** Which bytes of an artifact to fetch. */
export type ArtifactRange =
  /** From `start` to `end` (inclusive; default: the last byte). Resuming a download: `{ start: bytesHeld }`. */
  | { readonly start: number; readonly end?: number }
  /** The last `suffix` bytes. */
  | { readonly suffix: number };

/** Options of `BuildsApi.downloadArtifact`. */
export interface DownloadArtifactOptions {
  readonly range?: ArtifactRange;
  /**
   * The ETag the bytes already held came from. The range is only served if the archive is still
   * that one; otherwise the answer is the whole archive (`status` 200): start over.
   */
  readonly ifRange?: string;
  readonly signal?: AbortSignal;
}

/** An artifact download in progress: the body stream and what its headers say. */
export interface ArtifactDownload {
  /** 206 when a range was served, 200 for the whole archive. */
  readonly status: 200 | 206;
  /** The bytes; read it to the end or cancel it. */
  readonly body: ReadableStream<Uint8Array>;
  readonly response: Response;
  readonly contentType: string | undefined;
  /** Bytes in `body`. */
  readonly contentLength: number | undefined;
  /** Size of the whole archive. */
  readonly totalSize: number | undefined;
  /** The range served (inclusive), for a 206. */
  readonly range: { readonly start: number; readonly end: number } | undefined;
  /** The `ETag` (quoted sha256), to pass as `ifRange` when resuming. */
  readonly etag: string | undefined;
  /** The archive's sha256 (hex), from the ETag: verify the bytes against it. */
  readonly sha256: string | undefined;
  /** The file name the server offers (`<packageName>.<format>`), reduced to its last segment. */
  readonly fileName: string | undefined;
}

/** The `Range` header value of an {@link ArtifactRange}. */
export function rangeHeader(range: ArtifactRange): string {
  if ('suffix' in range) return `bytes=-${range.suffix}`;
  return `bytes=${range.start}-${range.end ?? ''}`;
}

function integer(value: string | null): number | undefined {
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Reads an artifact response's headers (status already checked to be 200 or 206). */
export function artifactDownloadOf(response: Response): ArtifactDownload {
  if (response.body === null) throw new TypeError('artifact response has no body');
  const status = response.status === 206 ? 206 : 200;
  const contentLength = integer(response.headers.get('content-length'));
  const contentRange = parseContentRange(response.headers.get('content-range'));
  const etag = response.headers.get('etag') ?? undefined;
  const sha = etag === undefined ? undefined : /^"([0-9a-f]{64})"$/.exec(etag)?.[1];
  return {
    status,
    body: response.body,
    response,
    contentType: response.headers.get('content-type') ?? undefined,
    contentLength,
    totalSize: status === 206 ? contentRange?.size : contentLength,
    range: status === 206 && contentRange?.start !== undefined && contentRange.end !== undefined ? { start: contentRange.start, end: contentRange.end } : undefined,
    etag,
    sha256: sha,
    fileName: contentDispositionFilename(response.headers.get('content-disposition')),
  };
}
