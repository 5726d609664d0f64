import { contentDispositionFilename } from './content-disposition-filename.js';

/** Response header naming the file `bestFile` chose (percent-encoded per segment). */
export const FILE_PATH_HEADER = 'x-hfit-file-path';

/** A volume file download in progress: the body stream and what its headers say. */
export interface VolumeFileDownload {
  /** The bytes; read it to the end or cancel it. */
  readonly body: ReadableStream<Uint8Array>;
  readonly response: Response;
  /** Path of the file relative to the volume root: the one asked for, or the one the server chose. */
  readonly path: string;
  /** The base name the server offers (`Content-Disposition`), reduced to its last segment. */
  readonly fileName: string | undefined;
  /** Bytes in `body`. */
  readonly contentLength: number | undefined;
  readonly contentType: string | undefined;
  /** The file's modification time (`Last-Modified`, whole seconds). */
  readonly lastModified: Date | undefined;
}

/** Decodes the percent-encoded path of {@link FILE_PATH_HEADER}; undefined when absent or malformed. */
export function filePathHeader(value: string | null): string | undefined {
  if (value === null || value === '') return undefined;
  try {
    return value.split('/').map(decodeURIComponent).join('/');
  } catch {
    return undefined;
  }
}

/** Reads a download response (status already checked). `path` is the file's path when the caller named it. */
export function volumeFileDownloadOf(response: Response, path: string): VolumeFileDownload {
  if (response.body === null) throw new TypeError('file download response has no body');
  const length = response.headers.get('content-length');
  const modified = response.headers.get('last-modified');
  const date = modified === null ? undefined : new Date(modified);
  return {
    body: response.body,
    response,
    path,
    fileName: contentDispositionFilename(response.headers.get('content-disposition')),
    contentLength: length !== null && /^\d+$/.test(length) ? Number(length) : undefined,
    contentType: response.headers.get('content-type') ?? undefined,
    lastModified: date === undefined || Number.isNaN(date.getTime()) ? undefined : date,
  };
}
