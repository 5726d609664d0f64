import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import type { Header } from 'tar-stream';

/** One entry of a test tar: a file (the default) with `content`, or any other tar entry type. */
export interface TarTestEntry {
  readonly name: string;
  readonly content?: string | Buffer;
  readonly type?: Header['type'];
  readonly linkname?: string;
  /** Mode in the header (default 0644, 0755 for folders). */
  readonly mode?: number;
  /** Write the name in a PAX header, even when a ustar header could hold it (NUL survives there). */
  readonly pax?: boolean;
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** The plain tar bytes of `entries`, in order, names written as given (tar-stream's writer). */
export async function buildTar(entries: readonly TarTestEntry[]): Promise<Buffer> {
  const tar = pack();
  const bytes = collect(tar);
  for (const e of entries) {
    const type = e.type ?? 'file';
    const content = type === 'file' ? Buffer.from(e.content ?? '') : Buffer.alloc(0);
    const header = {
      name: e.name,
      type,
      size: content.length,
      mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644),
      ...(e.linkname === undefined ? {} : { linkname: e.linkname }),
      ...(e.pax === true ? { pax: {} } : {}),
    } as Header;
    await new Promise<void>((resolve, reject) => {
      tar.entry(header, content, (err) => (err ? reject(err) : resolve()));
    });
  }
  tar.finalize();
  return bytes;
}

/** A `.tar.gz` of `entries`; `trailer` is appended to the tar before gzip (padding, junk). */
export async function buildTarGz(entries: readonly TarTestEntry[], trailer?: Buffer): Promise<Buffer> {
  const tar = await buildTar(entries);
  return gzipSync(trailer === undefined ? tar : Buffer.concat([tar, trailer]));
}

/**
 * One raw ustar file header declaring `size` bytes (base-256 encoded above 8 GiB, as GNU tar
 * does), for archives whose headers lie about what follows.
 */
export function rawTarFileHeader(name: string, size: number): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100, 'ascii');
  block.write('0000000\0', 108, 'ascii');
  block.write('0000000\0', 116, 'ascii');
  if (size < 8 * 1024 ** 3) {
    block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  } else {
    block[124] = 0x80;
    let rest = BigInt(size);
    for (let i = 135; i > 124; i--) {
      block[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
  }
  block.write('00000000000\0', 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block[156] = 0x30;
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of block) sum += b;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}
