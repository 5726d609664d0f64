import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import type { Header } from 'tar-stream';

/** One entry of a test archive: a file (the default) with `content`, or any other tar entry type. */
export interface TarEntry {
  readonly name: string;
  readonly content?: string | Buffer;
  readonly type?: Header['type'];
  readonly linkname?: string;
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** The plain (uncompressed) tar bytes of `entries`, in order. Names are written as given. */
export async function buildTar(entries: readonly TarEntry[]): Promise<Buffer> {
  const tar = pack();
  const bytes = collect(tar);
  for (const e of entries) {
    const type = e.type ?? 'file';
    const content = type === 'file' ? Buffer.from(e.content ?? '') : Buffer.alloc(0);
    await new Promise<void>((resolve, reject) => {
      tar.entry({ name: e.name, type, size: content.length, mode: type === 'directory' ? 0o755 : 0o644, ...(e.linkname ? { linkname: e.linkname } : {}) }, content, (err) =>
        err ? reject(err) : resolve(),
      );
    });
  }
  tar.finalize();
  return bytes;
}

/** A `.tar.gz` of `entries`. */
export async function buildTarGz(entries: readonly TarEntry[]): Promise<Buffer> {
  return gzip(await buildTar(entries));
}

/** Gzips `bytes` (level 9). */
export async function gzip(bytes: Buffer): Promise<Buffer> {
  const out = createGzip({ level: 9 });
  const result = collect(out);
  await pipeline(Readable.from([bytes]), out);
  return result;
}

/**
 * A gzip bomb: a `.tar.gz` whose single entry `name` holds `size` zero bytes, streamed through
 * gzip so the uncompressed data never sits in memory. 256 MiB compress to about 250 KiB.
 */
export async function gzipBombTarGz(name: string, size: number): Promise<Buffer> {
  const tar = pack();
  const gz = createGzip({ level: 9 });
  const compressed = collect(gz);
  const piped = pipeline(tar, gz);
  let entryDone: (err?: Error | null) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => (entryDone = (err) => (err ? reject(err) : resolve())));
  const sink = tar.entry({ name, type: 'file', size, mode: 0o644 }, (err) => entryDone(err));
  const chunk = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < size; written += chunk.length) {
    const part = written + chunk.length <= size ? chunk : chunk.subarray(0, size - written);
    if (!sink.write(part)) await new Promise<void>((resolve) => sink.once('drain', () => resolve()));
  }
  sink.end(undefined);
  await done;
  tar.finalize();
  await piped;
  return compressed;
}
