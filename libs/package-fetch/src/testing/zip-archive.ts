import { crc32, deflateRawSync } from 'node:zlib';

/** One entry of a test zip, written exactly as described (no name checks, no normalisation). */
export interface ZipTestEntry {
  /** The raw name: a string is written as UTF-8. */
  readonly name: string | Buffer;
  readonly content?: string | Buffer;
  /** Unix mode including the file type bits (default 0o100644, 0o040755 for names ending in `/`). */
  readonly unixMode?: number;
  /** "Version made by" host: 3 (Unix, default) or 0 (MS-DOS, no Unix mode). */
  readonly host?: number;
  /** Set the UTF-8 flag (bit 11); default: when the name has a non-ASCII byte. */
  readonly utf8?: boolean;
  /** 8 = deflate (default for non-empty content), 0 = stored, anything else as given. */
  readonly method?: number;
  /** The uncompressed size written in the headers (default: the real one); ≥ 4 GiB uses a ZIP64 extra field. */
  readonly declaredSize?: number;
  /** The CRC-32 written in the headers (default: the real one). */
  readonly crc?: number;
  /** General purpose flags to add (e.g. 1 = encrypted). */
  readonly flags?: number;
  /** Data already deflated (method 8) with the CRC-32 and size of what it inflates to; replaces `content`. */
  readonly deflated?: { readonly data: Buffer; readonly crc: number; readonly size: number };
}

const DOS_TIME = 0;
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;

/** A zip archive of `entries` in order, with a central directory and an end record. */
export function buildZip(entries: readonly ZipTestEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.isBuffer(e.name) ? e.name : Buffer.from(e.name, 'utf8');
    const data = Buffer.from(e.content ?? '');
    const method = e.method ?? (data.length > 0 || e.deflated !== undefined ? 8 : 0);
    const compressed = e.deflated?.data ?? (method === 8 ? deflateRawSync(data) : data);
    const crc = e.crc ?? e.deflated?.crc ?? crc32(data);
    const declared = e.declaredSize ?? e.deflated?.size ?? data.length;
    const zip64 = declared >= 0xffffffff;
    const extra = zip64 ? Buffer.alloc(12) : Buffer.alloc(0);
    if (zip64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(8, 2);
      extra.writeBigUInt64LE(BigInt(declared), 4);
    }
    const utf8 = e.utf8 ?? name.some((b) => b >= 0x80);
    const flags = (utf8 ? 0x800 : 0) | (e.flags ?? 0);
    const dir = name.at(-1) === 0x2f;
    const mode = e.unixMode ?? (dir ? 0o040755 : 0o100644);
    const host = e.host ?? 3;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(zip64 ? 45 : 20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(zip64 ? 0xffffffff : declared, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    locals.push(local, name, extra, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((host << 8) | (zip64 ? 45 : 20), 4);
    central.writeUInt16LE(zip64 ? 45 : 20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(zip64 ? 0xffffffff : declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt16LE(0, 32);
    central.writeUInt16LE(0, 34);
    central.writeUInt16LE(0, 36);
    central.writeUInt32LE(host === 3 ? ((mode << 16) | (dir ? 0x10 : 0)) >>> 0 : dir ? 0x10 : 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name, extra);
    offset += local.length + name.length + extra.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
