import type { HfitError } from '@hfit/contracts';
import type { ArchiveEntryHeader, ArchiveEntryKind } from './archive-entry-header.js';
import { entryUnsafe } from './archive-unsafe.js';
import { packageEntryPath } from './package-entry-path.js';
import type { UnpackLimits } from './unpack-limits.js';

/** An entry {@link EntryGuard.check} accepted: what to create, where. */
export interface AcceptedEntry {
  readonly kind: 'file' | 'directory';
  /** Segments under the package folder (empty for the package folder itself). */
  readonly segments: readonly string[];
  /** `/`-joined segments. */
  readonly path: string;
  /** Declared bytes (0 for folders). */
  readonly size: number;
}

const REFUSED_KINDS: Readonly<Record<Exclude<ArchiveEntryKind, 'file' | 'directory'>, string>> = {
  symlink: 'is a symbolic link',
  hardlink: 'is a hard link',
  'character-device': 'is a character device',
  'block-device': 'is a block device',
  fifo: 'is a FIFO (named pipe)',
  socket: 'is a socket',
  other: 'is of a type package archives never contain',
};

/** How a name is seen by a case-insensitive, normalising file system (macOS, Windows). */
function folded(path: string): string {
  return path.normalize('NFC').toLowerCase();
}

/**
 * Decides, from its header alone and before any byte is written, whether an archive entry may be
 * unpacked into the package folder, and keeps the tally every later entry is checked against.
 * Accepted: files and folders at safe paths under `<packageName>/` (see {@link packageEntryPath}).
 * Refused with `ARCHIVE_UNSAFE`: links of any kind (package archives never contain them, and a
 * link followed by a file "through" it is the classic way out of the target), devices, FIFOs,
 * sockets, unknown types, folders carrying data, a path seen before (also when it differs only in
 * case or Unicode normalisation, which would overwrite it on macOS and Windows), a path that would
 * be both a file and a folder, and anything past the {@link UnpackLimits}.
 */
export class EntryGuard {
  /** Files accepted so far, in archive order, as paths under the package folder. */
  readonly files: string[] = [];
  #entries = 0;
  #declaredBytes = 0;
  /** Folded path → what it is; `implicit` folders are parents of entries with no entry of their own. */
  readonly #seen = new Map<string, { readonly path: string; kind: 'file' | 'directory' | 'implicit' }>();

  constructor(
    private readonly archive: string,
    private readonly packageName: string,
    private readonly limits: UnpackLimits,
  ) {}

  /** Bytes declared by the files accepted so far. */
  get declaredBytes(): number {
    return this.#declaredBytes;
  }

  /**
   * Checks one entry and records it.
   * @throws HfitError ARCHIVE_UNSAFE naming the entry and why.
   */
  check(header: ArchiveEntryHeader): AcceptedEntry {
    const refuse = (why: string): HfitError => entryUnsafe(this.archive, header.name, why);
    this.#entries += 1;
    if (this.#entries > this.limits.maxEntries) {
      throw refuse(`is one entry too many: the archive holds more than ${this.limits.maxEntries} entries (the maxEntries limit)`);
    }
    if (header.kind !== 'file' && header.kind !== 'directory') {
      const target = header.linkTarget ? ` to ${JSON.stringify(header.linkTarget)}` : '';
      const type = header.kind === 'other' && header.typeName !== undefined ? ` (${header.typeName})` : '';
      throw refuse(`${REFUSED_KINDS[header.kind]}${target}${type}: package archives only contain files and folders`);
    }
    if (!Number.isSafeInteger(header.size) || header.size < 0) throw refuse(`declares an invalid size (${String(header.size)})`);
    const where = packageEntryPath(header.name, this.packageName);
    if (typeof where === 'string') throw refuse(where);
    const path = where.segments.join('/');
    if (header.kind === 'directory') {
      if (header.size > 0) throw refuse(`is a folder that carries ${header.size} bytes of data`);
    } else {
      if (where.trailingSlash) throw refuse('is a file whose name ends with "/"');
      if (header.size > this.limits.maxTotalBytes - this.#declaredBytes) {
        throw refuse(
          `declares ${header.size} bytes, which would bring the files to more than ${this.limits.maxTotalBytes} bytes (the maxTotalBytes limit)`,
        );
      }
    }
    this.#record(header.kind, where.segments, refuse);
    if (header.kind === 'file') {
      this.#declaredBytes += header.size;
      this.files.push(path);
    }
    return { kind: header.kind, segments: where.segments, path, size: header.kind === 'file' ? header.size : 0 };
  }

  #record(kind: 'file' | 'directory', segments: readonly string[], refuse: (why: string) => HfitError): void {
    const keys = segments.map((_, i) => folded(segments.slice(0, i + 1).join('/')));
    // The package folder itself: '' (only an explicit `<packageName>/` entry is recorded under it).
    const key = keys[keys.length - 1] ?? '';
    for (const [i, parent] of keys.slice(0, -1).entries()) {
      const seen = this.#seen.get(parent);
      if (seen?.kind === 'file') throw refuse(`would be inside ${JSON.stringify(`${this.packageName}/${seen.path}`)}, which is a file`);
      if (seen === undefined) this.#seen.set(parent, { path: segments.slice(0, i + 1).join('/'), kind: 'implicit' });
    }
    const path = segments.join('/');
    const earlier = this.#seen.get(key);
    if (earlier !== undefined) {
      if (kind === 'directory' && earlier.kind === 'implicit') {
        earlier.kind = 'directory';
        return;
      }
      const same = earlier.path === path ? 'appears twice' : `and ${JSON.stringify(`${this.packageName}/${earlier.path}`)} differ only in case or Unicode normalisation`;
      if (earlier.kind !== 'implicit' && (earlier.kind === kind || earlier.path !== path)) throw refuse(`${same}: an archive names every file once`);
      throw refuse('would be both a file and a folder');
    }
    this.#seen.set(key, { path, kind });
  }
}
