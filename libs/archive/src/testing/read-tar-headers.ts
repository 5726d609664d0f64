/** One header block of a tar stream, as tests check it. */
export interface TarHeader {
  /** Offset of the 512-byte header block. */
  readonly offset: number;
  /** `prefix/name` for ustar, as stored (a PAX path record is in `pax`). */
  readonly name: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  /** Seconds since the epoch. */
  readonly mtime: number;
  /** The type flag character: `0` file, `5` folder, `x` PAX header, … */
  readonly type: string;
  readonly uname: string;
  readonly gname: string;
  /** Magic and version, `ustar\0` + `00` for POSIX ustar. */
  readonly magic: string;
  /** The records of a PAX header (`type` `x`). */
  readonly pax?: Readonly<Record<string, string>>;
  /** The entry's bytes (files and PAX headers). */
  readonly data: Buffer;
}

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
}

function octal(block: Buffer, start: number, length: number): number {
  const t = text(block, start, length).trim();
  return t === '' ? 0 : Number.parseInt(t, 8);
}

function paxRecords(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let rest = data;
  while (rest.length > 0) {
    const space = rest.indexOf(0x20);
    const length = Number.parseInt(rest.subarray(0, space).toString(), 10);
    const record = rest.subarray(space + 1, length - 1).toString('utf8');
    const eq = record.indexOf('=');
    records[record.slice(0, eq)] = record.slice(eq + 1);
    rest = rest.subarray(length);
  }
  return records;
}

/**
 * Parses every header of an uncompressed tar (test helper; trusts its input). Also checks the
 * end-of-archive marker: at least two zero blocks and nothing else after the last entry.
 */
export function readTarHeaders(tar: Buffer): TarHeader[] {
  const headers: TarHeader[] = [];
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const block = tar.subarray(offset, offset + 512);
    if (block.every((b) => b === 0)) {
      if (!tar.subarray(offset).every((b) => b === 0) || tar.length - offset < 1024) throw new Error(`bad end of archive at ${offset}`);
      return headers;
    }
    const size = octal(block, 124, 12);
    const type = String.fromCharCode(block[156]!);
    const prefix = text(block, 345, 155);
    const name = text(block, 0, 100);
    const data = tar.subarray(offset + 512, offset + 512 + size);
    headers.push({
      offset,
      name: prefix === '' ? name : `${prefix}/${name}`,
      mode: octal(block, 100, 8),
      uid: octal(block, 108, 8),
      gid: octal(block, 116, 8),
      size,
      mtime: octal(block, 136, 12),
      type,
      uname: text(block, 265, 32),
      gname: text(block, 297, 32),
      magic: block.subarray(257, 265).toString('latin1'),
      ...(type === 'x' ? { pax: paxRecords(data) } : {}),
      data,
    });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error('tar ends without an end-of-archive marker');
}
