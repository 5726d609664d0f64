import { pipeline } from 'node:stream/promises';
import type { VolumeDownload } from '@hfit/browse';
import { HfitError } from '@hfit/contracts';
import type { Logger } from '@hfit/logger';
import type { Request, Response } from 'express';
import { decideRange } from '../http/byte-range-header.js';
import { ifRangeAllows } from '../http/entity-tag.js';
import { RESPONSE_SENT } from './route-spec.js';

/** Media type of every volume file download: the API does not guess what a file holds. */
export const VOLUME_FILE_MEDIA_TYPE = 'application/octet-stream';

/** Response header naming the file a "best file" download chose (percent-encoded, see {@link encodeVolumePath}). */
export const FILE_PATH_HEADER = 'X-Hfit-File-Path';

/** Headers of a volume file download, for the OpenAPI document. */
export const VOLUME_DOWNLOAD_HEADERS: Readonly<Record<string, string>> = {
  'Content-Length': 'Bytes of the file (or of the range)',
  'Content-Range': 'On a 206: bytes <first>-<last>/<size>',
  'Accept-Ranges': 'bytes',
  'Content-Disposition': 'attachment; filename="<base name>"',
  'Last-Modified': 'Modification time of the file',
};

/**
 * A volume path for a header: each segment percent-encoded (RFC 3986), `/` kept, so any file name
 * (spaces, non-ASCII, control characters) fits in a header. `decodeURIComponent` reverses it.
 */
export function encodeVolumePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The bytes of a file a download sends: all, or one range (a `206`). */
export type VolumeRange = { readonly start: number; readonly end: number } | undefined;

/**
 * The range of `download` that `req` asks for (RFC 9110 §14): one `Range` of a `GET`, honoured
 * only while `If-Range` (a date: volume files have no entity tag) still matches the file's
 * modification time; a multi-range or malformed header gets the whole file. A range past the end
 * throws `STORAGE_RANGE_INVALID` (`416`) after setting `Content-Range` (`bytes *` and the size) on `res`.
 */
export function volumeRangeOf(req: Request, res: Response, download: Pick<VolumeDownload, 'size' | 'modtime' | 'path'>): VolumeRange {
  if (req.method !== 'GET' || !ifRangeAllows(req.get('if-range'), undefined, new Date(download.modtime))) return undefined;
  const decision = decideRange(req.get('range'), download.size);
  if (decision.kind === 'none') return undefined;
  if (decision.kind === 'satisfiable') return { start: decision.start, end: decision.end };
  res.setHeader('Content-Range', `bytes */${download.size}`);
  throw new HfitError('STORAGE_RANGE_INVALID', `Range ${JSON.stringify(req.get('range'))} is not satisfiable: ${download.path} has ${download.size} bytes`, {
    field: 'headers.range',
  });
}

/** What {@link sendVolumeDownload} writes to and logs with. */
export interface DownloadTarget {
  readonly req: Request;
  readonly res: Response;
  readonly log: Logger;
}

/**
 * Answers `200` with an opened volume file, or `206` with `range` of it (see {@link volumeRangeOf}),
 * and closes it, whatever happens: `Content-Length` (of the size when it was opened; exactly that
 * many bytes are sent), `Content-Type: application/octet-stream`, `Content-Disposition:
 * attachment` with the base name (RFC 6266 encoding for non-ASCII names), `Last-Modified`,
 * `Accept-Ranges`, and `headers`. `HEAD` gets the headers only. A client that goes away closes the
 * file; a read that fails half-way cuts the response.
 */
export async function sendVolumeDownload(
  target: DownloadTarget,
  download: VolumeDownload,
  headers: Readonly<Record<string, string>> = {},
  range: VolumeRange = undefined,
): Promise<typeof RESPONSE_SENT> {
  const { req, res, log } = target;
  try {
    // attachment() also sets a type from the extension: the explicit type below replaces it.
    res.attachment(download.name);
    res.setHeader('Content-Type', VOLUME_FILE_MEDIA_TYPE);
    const { start, end } = range ?? { start: 0, end: download.size - 1 };
    res.setHeader('Content-Length', String(end - start + 1));
    if (range !== undefined) res.setHeader('Content-Range', `bytes ${start}-${end}/${download.size}`);
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Last-Modified', new Date(download.modtime).toUTCString());
    res.setHeader('X-Content-Type-Options', 'nosniff');
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.status(range === undefined ? 200 : 206);
    if (req.method === 'HEAD' || end < start) {
      res.end();
      return RESPONSE_SENT;
    }
    try {
      // Only the bytes announced: a file that grew since it was opened must not overrun Content-Length.
      await pipeline(download.createReadStream({ start, end }), res);
    } catch (err) {
      if (res.writableFinished) return RESPONSE_SENT;
      const clientGone = req.destroyed || (err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE';
      if (clientGone) log.info({ path: download.path, sent: res.socket?.bytesWritten }, 'volume download aborted by the client');
      else log.warn({ err, path: download.path }, 'volume download failed; the response was cut short');
      if (!res.destroyed) res.destroy();
    }
    return RESPONSE_SENT;
  } finally {
    await download.close();
  }
}
