import { gzipSync } from 'node:zlib';

/** One entry of a test archive: a file (the default) with `content`, a folder, or a symlink. */
export interface TarEntry {
  readonly name: string;
  readonly content?: string | Buffer;
  readonly type?: 'file' | 'directory' | 'symlink';
  readonly linkname?: string;
}

const BLOCK = 512;

function field(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value, offset, Math.min(Buffer.byteLength(value), length), 'utf8');
}

function octal(header: Buffer, offset: number, length: number, value: number): void {
  field(header, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

/**
 * A `.tar.gz` (ustar) of `entries`, in order, names written as given (so tests can put `../x` or
 * absolute names in an archive). Only what upload tests need: files, folders, symlinks, names up
 * to 100 bytes.
 */
export function buildTarGz(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    if (Buffer.byteLength(e.name) > 100) throw new Error(`buildTarGz: name "${e.name}" is longer than 100 bytes`);
    const type = e.type ?? 'file';
    const content = type === 'file' ? Buffer.from(e.content ?? '') : Buffer.alloc(0);
    const header = Buffer.alloc(BLOCK);
    field(header, 0, 100, e.name);
    octal(header, 100, 8, type === 'directory' ? 0o755 : 0o644);
    octal(header, 108, 8, 0);
    octal(header, 116, 8, 0);
    octal(header, 124, 12, content.length);
    octal(header, 136, 12, 0);
    header.fill(' ', 148, 156);
    field(header, 156, 1, type === 'directory' ? '5' : type === 'symlink' ? '2' : '0');
    field(header, 157, 100, e.linkname ?? '');
    field(header, 257, 6, 'ustar\0');
    field(header, 263, 2, '00');
    let sum = 0;
    for (const byte of header) sum += byte;
    field(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header, content, Buffer.alloc((BLOCK - (content.length % BLOCK)) % BLOCK));
  }
  blocks.push(Buffer.alloc(2 * BLOCK));
  return gzipSync(Buffer.concat(blocks));
}
