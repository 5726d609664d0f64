import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { archiveReadError } from './archive-read-error.js';
import { archiveUnsafe, entryUnsafe } from './archive-unsafe.js';
import type { ArchiveEntryVisitor } from './archive-entry-visitor.js';
import { zipEntryHeader, zipEntryName } from './zip-entry-header.js';

/** Compression methods read: stored and deflated. */
const METHODS = new Set([0, 8]);

/** The entry's bytes, checking their CRC-32 at the end (yauzl checks sizes, not checksums). */
async function* checked(archive: string, name: string, entry: Entry, stream: Readable): AsyncGenerator<Uint8Array> {
  let crc = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      crc = crc32(chunk, crc);
      yield chunk;
    }
  } finally {
    stream.destroy();
  }
  if (crc >>> 0 !== entry.crc32 >>> 0) throw entryUnsafe(archive, name, 'is corrupt: its CRC-32 does not match its bytes');
}

/**
 * Reads a zip file with yauzl (random access through the central directory, one entry at a time,
 * sizes validated against the headers), calling `visit` for every entry in order. Names are taken
 * from the raw central directory bytes (see {@link zipEntryName}); encrypted entries and
 * compression methods other than stored and deflate are refused, as is an archive declaring more
 * than `maxEntries` entries, before any is read.
 * @throws what `visit` throws; `ARCHIVE_UNSAFE` for an invalid or refused archive; system errors
 *   reading the file as they are.
 */
export async function forEachZipEntry(file: string, archive: string, maxEntries: number, visit: ArchiveEntryVisitor): Promise<void> {
  let zip: ZipFile;
  try {
    // decodeStrings: false, so that names are checked by us (yauzl would turn `\` into `/`).
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: true });
  } catch (e) {
    throw archiveReadError(archive, 'zip', e);
  }
  try {
    if (zip.entryCount > maxEntries) {
      throw archiveUnsafe(archive, `it declares ${zip.entryCount} entries, more than ${maxEntries} (the maxEntries limit)`);
    }
    for await (const entry of zip.eachEntry()) {
      const decoded = zipEntryName(entry);
      if ('problem' in decoded) throw entryUnsafe(archive, decoded.name, decoded.problem);
      const { name } = decoded;
      if (entry.isEncrypted()) throw entryUnsafe(archive, name, 'is encrypted');
      if (!METHODS.has(entry.compressionMethod)) throw entryUnsafe(archive, name, `uses compression method ${entry.compressionMethod} (only stored and deflate are read)`);
      await visit(zipEntryHeader(entry, name), async () => checked(archive, name, entry, await zip.openReadStreamPromise(entry)));
    }
  } catch (e) {
    throw archiveReadError(archive, 'zip', e);
  } finally {
    zip.close();
  }
}
