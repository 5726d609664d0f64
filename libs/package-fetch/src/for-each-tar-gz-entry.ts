import { createReadStream } from 'node:fs';
import type { Duplex, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { isHfitError } from '@hfit/contracts';
import { extract as tarExtract } from 'tar-stream';
import type { Header } from 'tar-stream';
import type { ArchiveEntryHeader, ArchiveEntryKind } from './archive-entry-header.js';
import { archiveReadError } from './archive-read-error.js';
import { archiveUnsafe } from './archive-unsafe.js';
import { byteLimitStream } from './byte-limit-stream.js';
import type { ArchiveEntryVisitor } from './archive-entry-visitor.js';

const KINDS: Partial<Record<NonNullable<Header['type']>, ArchiveEntryKind>> = {
  file: 'file',
  directory: 'directory',
  symlink: 'symlink',
  link: 'hardlink',
  'character-device': 'character-device',
  'block-device': 'block-device',
  fifo: 'fifo',
};

function headerOf(header: Header): ArchiveEntryHeader {
  const kind = (header.type ? KINDS[header.type] : undefined) ?? 'other';
  return {
    name: header.name,
    kind,
    size: header.size ?? 0,
    linkTarget: header.linkname ?? undefined,
    typeName: kind === 'other' ? (header.type ?? 'an unknown tar type flag') : undefined,
  };
}

async function drain(entry: AsyncIterable<unknown>): Promise<void> {
  for await (const _chunk of entry) {
    // Bytes of an entry the visitor did not read (a folder's, normally none) must pass for the next header.
  }
}

/**
 * Reads a `.tar.gz` file as a stream (file → gunzip → tar), calling `visit` for every entry in
 * order; a file's bytes are read while `visit` consumes them, so memory stays bounded. The tar
 * stream after gunzip may not exceed `maxTarBytes` (a bomb of padding or junk after the last entry
 * stops there). PAX and GNU long-name headers are applied by tar-stream (at most 4 MiB each).
 * @throws what `visit` throws; `ARCHIVE_UNSAFE` when the gzip or tar data is invalid or over the
 *   limit; system errors reading the file as they are.
 */
export async function forEachTarGzEntry(file: string, archive: string, maxTarBytes: number, visit: ArchiveEntryVisitor): Promise<void> {
  const extract = tarExtract();
  const streams: (Readable | Duplex | Writable)[] = [
    createReadStream(file),
    createGunzip(),
    byteLimitStream(maxTarBytes, () => archiveUnsafe(archive, `its tar data is larger than the limits allow (${maxTarBytes} bytes)`)),
    // tar-stream's streams are streamx streams, which node's pipeline drives like its own.
    extract as unknown as Writable,
  ];
  let streamError: unknown;
  const piped = pipeline(streams as unknown as [Readable, Duplex, Duplex, Writable]).catch((e: unknown) => {
    streamError ??= e;
  });
  let visitError: unknown;
  let readError: unknown;
  try {
    for await (const entry of extract) {
      try {
        // Entry data is Buffers under Node (typed `unknown` by streamx).
        await visit(headerOf(entry.header), async () => entry as AsyncIterable<Uint8Array>);
      } catch (e) {
        visitError = e;
        throw e;
      }
      await drain(entry);
    }
  } catch (e) {
    readError = e;
    for (const s of streams) s.destroy();
  }
  await piped;
  if (readError === undefined && streamError === undefined) return;
  // Our own refusals and write failures (disk full) come first; then the stream failure that
  // started it all, which also surfaces (as itself or a premature close) in the entry being read.
  if (isHfitError(visitError) || (visitError instanceof Error && typeof (visitError as NodeJS.ErrnoException).syscall === 'string')) throw visitError;
  throw archiveReadError(archive, 'tar.gz', streamError ?? readError);
}
