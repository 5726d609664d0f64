import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { CliError } from '../errors/cli-error.js';
import { fileExists } from '../workspace/file-exists.js';

/** Options of {@link saveStream}. */
export interface SaveStreamOptions {
  /** Replace an existing file (default: refuse). */
  readonly overwrite?: boolean;
  /** Bytes announced by the server: fewer or more is an error and nothing is kept. */
  readonly expectedBytes?: number | undefined;
  readonly onProgress?: (bytes: number) => void;
}


/**
 * Writes a web stream to `file` through a temporary file renamed at the end, so an interrupted
 * download never leaves a file that looks complete. Returns the bytes written.
 */
export async function saveStream(body: ReadableStream<Uint8Array>, file: string, options: SaveStreamOptions = {}): Promise<number> {
  if (!options.overwrite && (await fileExists(file))) {
    await body.cancel();
    throw new CliError(`${file} exists`, { code: 'FILE_EXISTS', hint: 'pass --force to replace it, or -o to choose another name' });
  }
  const temp = `${file}.${randomBytes(4).toString('hex')}.download`;
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      options.onProgress?.(bytes);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), counter, createWriteStream(temp, { flags: 'wx' }));
    if (options.expectedBytes !== undefined && bytes !== options.expectedBytes) {
      throw new CliError(`received ${bytes} bytes, the server announced ${options.expectedBytes}: nothing was saved`, { code: 'DOWNLOAD_INCOMPLETE' });
    }
    await rename(temp, file);
    return bytes;
  } finally {
    await rm(temp, { force: true });
  }
}
