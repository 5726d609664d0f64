import { Readable } from 'node:stream';
import type { Duplex, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { HfitError, isHfitError } from '@hfit/contracts';
import { MAX_TEMPLATE_LENGTH } from '@hfit/templates';
import { extract as tarExtract } from 'tar-stream';
import type { Header } from 'tar-stream';
import { archiveEntryBaseName, archiveEntryPathProblem } from './archive-entry-path.js';
import { byteLimitStream } from './byte-limit-stream.js';

/** One entry of an uploaded archive, as read: YAML text to store, or why not. */
export type ArchiveEntry =
  | { readonly file: string; readonly kind: 'text'; readonly text: string }
  | { readonly file: string; readonly kind: 'skipped'; readonly reason: string }
  | { readonly file: string; readonly kind: 'error'; readonly error: HfitError };

/** Limits of {@link readTemplateArchive}. */
export interface ArchiveLimits {
  /** Most bytes read, both compressed and after gunzip. */
  readonly maxBytes: number;
  /** Most entries. */
  readonly maxEntries: number;
}

/**
 * Largest template file read: a template has at most {@link MAX_TEMPLATE_LENGTH} characters, which
 * take at most 4 bytes each in UTF-8. The parser applies the exact limit.
 */
export const MAX_TEMPLATE_FILE_BYTES = 4 * MAX_TEMPLATE_LENGTH;

const TEMPLATE_FILE = /\.ya?ml$/i;

/** The stages of the read, to tell where a failure started. */
type Stage = 'input' | 'input-limit' | 'gunzip' | 'output-limit' | 'tar';

async function drain(entry: AsyncIterable<unknown>): Promise<void> {
  for await (const _chunk of entry) {
    // discarded: the entry is not stored, but its bytes must pass for the next header to come
  }
}

/** Entry data is a stream of Uint8Array chunks (Buffers under Node; typed `unknown` by streamx). */
async function readEntry(entry: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

function entryError(file: string, code: 'UPLOAD_INVALID' | 'TEMPLATE_INVALID' | 'TEMPLATE_YAML', message: string): ArchiveEntry {
  return { file, kind: 'error', error: new HfitError(code, message) };
}

/** Classifies an entry by its header alone; `undefined` means "a template file: read it". */
function classify(header: Header): ArchiveEntry | undefined {
  const file = header.name;
  const pathProblem = archiveEntryPathProblem(file);
  if (pathProblem !== undefined) {
    return entryError(file, 'UPLOAD_INVALID', `entry path ${JSON.stringify(file)} ${pathProblem}: it was not stored`);
  }
  switch (header.type) {
    case 'symlink':
    case 'link': {
      const kind = header.type === 'symlink' ? 'a symbolic link' : 'a hard link';
      const target = header.linkname ? ` to ${JSON.stringify(header.linkname)}` : '';
      return entryError(file, 'UPLOAD_INVALID', `${kind}${target}: links are not followed, put the file itself in the archive`);
    }
    case 'directory':
      return { file, kind: 'skipped', reason: 'a directory' };
    case 'file':
    case 'contiguous-file':
      break;
    default:
      // Devices, FIFOs, and type flags tar-stream does not know (it reports those as null).
      return entryError(file, 'UPLOAD_INVALID', `${header.type ? `a ${header.type}` : 'an entry of unknown type'}, not a regular file`);
  }
  const base = archiveEntryBaseName(file);
  if (!TEMPLATE_FILE.test(base)) return { file, kind: 'skipped', reason: 'not a .yaml or .yml file' };
  // macOS tar adds "._<name>" AppleDouble files holding extended attributes, not YAML.
  if (base.startsWith('._')) return { file, kind: 'skipped', reason: 'macOS metadata file (AppleDouble "._" file)' };
  const size = header.size ?? 0;
  if (size > MAX_TEMPLATE_FILE_BYTES) {
    return entryError(
      file,
      'TEMPLATE_INVALID',
      `file is ${size} bytes; a template may have at most ${MAX_TEMPLATE_LENGTH} characters: split it up`,
    );
  }
  return undefined;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

async function readTemplateEntry(entry: AsyncIterable<unknown> & { readonly header: Header }): Promise<ArchiveEntry> {
  const file = entry.header.name;
  const bytes = await readEntry(entry);
  try {
    return { file, kind: 'text', text: UTF8.decode(bytes) };
  } catch {
    return entryError(file, 'TEMPLATE_YAML', 'file is not UTF-8 text: save the template as UTF-8');
  }
}

/** Turns the first failure of the read into the error the caller sees. */
function archiveFailure(stage: Stage, e: unknown, entriesSeen: number): unknown {
  if (isHfitError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (stage === 'gunzip') {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR') {
      return new HfitError('UPLOAD_INVALID', 'archive is truncated: the gzip data ends early; upload the whole .tar.gz', { cause: e });
    }
    if (/incorrect header check/i.test(message)) {
      return new HfitError('UPLOAD_INVALID', 'archive is not gzip-compressed: upload a .tar.gz (tar -czf templates.tar.gz *.yaml)', {
        cause: e,
      });
    }
    return new HfitError('UPLOAD_INVALID', `archive is not valid gzip: ${message}`, { cause: e });
  }
  if (stage === 'tar') {
    if (/unexpected end of data/i.test(message)) {
      return new HfitError(
        'UPLOAD_INVALID',
        entriesSeen === 0
          ? 'archive content is not a tar archive: upload a .tar.gz (tar -czf templates.tar.gz *.yaml)'
          : 'archive is truncated: the tar data ends inside an entry; upload the whole .tar.gz',
        { cause: e },
      );
    }
    return new HfitError('UPLOAD_INVALID', `archive content is not a valid tar archive: ${message}`, { cause: e });
  }
  // The input itself failed (e.g. the client went away): not a problem of the archive.
  return e;
}

/**
 * Reads a `.tar.gz` of templates as a stream: gunzip and tar entries are processed as bytes
 * arrive, and the byte limit applies both before and after gunzip, so a gzip bomb stops after
 * `maxBytes` of output. Template files (`*.yaml`, `*.yml`, case-insensitive) are read as UTF-8
 * text; other files and directories are skipped; absolute or `..` paths, links and special files
 * are errors. Nothing is written anywhere: the caller decides what to store.
 *
 * @returns one entry per archive entry, in archive order.
 * @throws HfitError UPLOAD_INVALID when the archive is not gzip, not tar, or truncated;
 *   PAYLOAD_TOO_LARGE when it is over `maxBytes` or `maxEntries`; errors of `archive` itself as is.
 */
export async function readTemplateArchive(archive: Readable | Buffer, limits: ArchiveLimits): Promise<ArchiveEntry[]> {
  const input = Buffer.isBuffer(archive) ? Readable.from([archive]) : archive;
  const extract = tarExtract();
  const stages: [Stage, Readable | Duplex | Writable][] = [
    ['input', input],
    ['input-limit', byteLimitStream(limits.maxBytes, 'compressed archive')],
    ['gunzip', createGunzip()],
    ['output-limit', byteLimitStream(limits.maxBytes, 'uncompressed archive')],
    // tar-stream's streams are streamx streams, which node's pipeline drives like its own.
    ['tar', extract as unknown as Writable],
  ];
  let first: { stage: Stage; error: unknown } | undefined;
  for (const [stage, stream] of stages) {
    stream.on('error', (error: unknown) => {
      first ??= { stage, error };
    });
  }
  const piped = pipeline(stages.map(([, s]) => s) as unknown as [Readable, Duplex, Duplex, Duplex, Writable]).then(
    () => undefined,
    (error: unknown) => {
      first ??= { stage: 'input', error };
    },
  );

  const entries: ArchiveEntry[] = [];
  let seen = 0;
  try {
    for await (const entry of extract) {
      seen += 1;
      if (seen > limits.maxEntries) {
        throw new HfitError(
          'PAYLOAD_TOO_LARGE',
          `archive has more than ${limits.maxEntries} entries: upload the templates in several archives`,
        );
      }
      const verdict = classify(entry.header);
      if (verdict === undefined) {
        entries.push(await readTemplateEntry(entry));
      } else {
        await drain(entry);
        entries.push(verdict);
      }
    }
  } catch (e) {
    // Our own limit errors come first; otherwise the stream failure that started it all.
    first = isHfitError(e) ? { stage: 'tar', error: e } : (first ?? { stage: 'tar', error: e });
    for (const [, stream] of stages) stream.destroy();
  }
  await piped;
  if (first) throw archiveFailure(first.stage, first.error, seen);
  return entries;
}
