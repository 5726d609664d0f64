import type { Entry } from 'yauzl';
import type { ArchiveEntryHeader, ArchiveEntryKind } from './archive-entry-header.js';

/** Bit 11 of the general purpose flags: the name is UTF-8. */
const UTF8_FLAG = 0x800;

/** "Version made by" host of Unix: only then do the external attributes hold a Unix mode. */
const HOST_UNIX = 3;

const UNIX_TYPES: Readonly<Record<number, ArchiveEntryKind>> = {
  0o100000: 'file',
  0o040000: 'directory',
  0o120000: 'symlink',
  0o020000: 'character-device',
  0o060000: 'block-device',
  0o010000: 'fifo',
  0o140000: 'socket',
};

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The entry's name from the raw bytes of the central directory: UTF-8 when flag bit 11 says so
 * (and valid), plain ASCII otherwise. Names in other code pages (CP437) are refused rather than
 * guessed, and the Info-ZIP Unicode Path extra field is ignored: a second name that unzip tools may
 * or may not use is a way to make an archive say two things.
 * @returns the name, or why it cannot be read.
 */
export function zipEntryName(entry: Pick<Entry, 'fileNameRaw' | 'generalPurposeBitFlag'>): { name: string } | { problem: string; name: string } {
  const raw = entry.fileNameRaw;
  if ((entry.generalPurposeBitFlag & UTF8_FLAG) !== 0) {
    try {
      return { name: UTF8.decode(raw) };
    } catch {
      return { problem: 'has a name that is flagged UTF-8 but is not', name: raw.toString('latin1') };
    }
  }
  if (raw.every((b) => b < 0x80)) return { name: raw.toString('ascii') };
  return { problem: 'has a non-ASCII name without the UTF-8 flag (a legacy code page): package archives use UTF-8 names', name: raw.toString('latin1') };
}

/**
 * What a zip entry is: with a Unix "made by" host, the file type bits of the mode in the external
 * attributes decide (links, devices and FIFOs included) and must agree with the trailing `/` of a
 * folder's name; otherwise the trailing `/` alone does.
 */
export function zipEntryHeader(entry: Entry, name: string): ArchiveEntryHeader {
  const slash = name.endsWith('/');
  const byName: ArchiveEntryKind = slash ? 'directory' : 'file';
  const size = entry.uncompressedSize;
  if (entry.versionMadeBy >> 8 !== HOST_UNIX) return { name, kind: byName, size };
  const type = (entry.externalFileAttributes >>> 16) & 0o170000;
  if (type === 0) return { name, kind: byName, size };
  const kind = UNIX_TYPES[type] ?? 'other';
  if (kind === 'other') return { name, kind, size, typeName: `Unix file type 0${type.toString(8)}` };
  if ((kind === 'file' && slash) || (kind === 'directory' && !slash)) {
    return { name, kind: 'other', size, typeName: `a ${kind} by its mode but a ${byName} by its name` };
  }
  return { name, kind, size };
}
