import { pipeline } from 'node:stream/promises';
import type { VolumeDownload } from '@hfit/browse';
import type { Logger } from '@hfit/logger';
import type { Request, Response } from 'express';
import { RESPONSE_SENT } from './route-spec.js';

/** Media type of every volume file download: the API does not guess what a file holds. */
export const VOLUME_FILE_MEDIA_TYPE = 'application/octet-stream';

/** Response header naming the file a "best file" download chose (percent-encoded, see {@link encodeVolumePath}). */
export const FILE_PATH_HEADER = 'X-Hfit-File-Path';

/** Headers of a volume file download, for the OpenAPI document. */
export const VOLUME_DOWNLOAD_HEADERS: Readonly<Record<string, string>> = {
  'Content-Length': 'Bytes of the file',
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

/** What {@link sendVolumeDownload} writes to and logs with. */
export interface DownloadTarget {
  readonly req: Request;
  readonly res: Response;
  readonly log: Logger;
}

/**
 * Answers `200` with an opened volume file and closes it, whatever happens: `Content-Length` (the
 * size when it was opened; exactly that many bytes are sent), `Content-Type:
 * application/octet-stream`, `Content-Disposition: attachment` with the base name (RFC 6266
 * encoding for non-ASCII names), `Last-Modified`, and `headers`. `HEAD` gets the headers only. A
 * client that goes away closes the file; a read that fails half-way cuts the response.
 */
export async function sendVolumeDownload(
  target: DownloadTarget,
  download: VolumeDownload,
  headers: Readonly<Record<string, string>> = {},
): Promise<typeof RESPONSE_SENT> {
  const { req, res, log } = target;
  try {
    // attachment() also sets a type from the extension: the explicit type below replaces it.
    res.attachment(download.name);
    res.setHeader('Content-Type', VOLUME_FILE_MEDIA_TYPE);
    res.setHeader('Content-Length', String(download.size));
    res.setHeader('Last-Modified', new Date(download.modtime).toUTCString());
    res.setHeader('X-Content-Type-Options', 'nosniff');
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.status(200);
    if (req.method === 'HEAD' || download.size === 0) {
      res.end();
      return RESPONSE_SENT;
    }
    try {
      // Only the bytes announced: a file that grew since it was opened must not overrun Content-Length.
      await pipeline(download.createReadStream({ start: 0, end: download.size - 1 }), res);
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
