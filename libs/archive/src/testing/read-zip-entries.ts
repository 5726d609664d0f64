import { inflateRawSync } from 'node:zlib';

/** One entry of a zip's central directory, as tests check it. */
export interface ZipEntry {
  readonly name: string;
  /** High byte of "version made by": 3 = Unix. */
  readonly madeBy: number;
  readonly flags: number;
  readonly method: number;
  /** DOS time and date words, as stored in the central directory. */
  readonly dosTime: number;
  readonly dosDate: number;
  /** Extra field lengths in the central and the local header. */
  readonly centralExtraLength: number;
  readonly localExtraLength: number;
  /** Unix mode from the high 16 bits of the external attributes. */
  readonly unixMode: number;
  /** The local header's DOS time and date words. */
  readonly localDosTime: number;
  readonly localDosDate: number;
  /** The uncompressed bytes (stored or deflated entries). */
  readonly content: Buffer;
}

/** Reads a zip's central directory and every entry's bytes (test helper; no ZIP64, trusts input). */
export function readZipEntries(zip: Buffer): ZipEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd === -1) throw new Error('no end of central directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`no central header at ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const localNameLength = zip.readUInt16LE(local + 26);
    const localExtraLength = zip.readUInt16LE(local + 28);
    const dataStart = local + 30 + localNameLength + localExtraLength;
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    entries.push({
      name: zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'),
      madeBy: zip[at + 5]!,
      flags: zip.readUInt16LE(at + 8),
      method,
      dosTime: zip.readUInt16LE(at + 12),
      dosDate: zip.readUInt16LE(at + 14),
      centralExtraLength: extraLength,
      localExtraLength,
      unixMode: zip.readUInt32LE(at + 38) >>> 16,
      localDosTime: zip.readUInt16LE(local + 10),
      localDosDate: zip.readUInt16LE(local + 12),
      content: method === 8 ? inflateRawSync(raw) : Buffer.from(raw),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
