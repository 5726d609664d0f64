/** What an archive entry is, in terms common to tar and zip. */
export type ArchiveEntryKind =
  | 'file'
  | 'directory'
  | 'symlink'
  | 'hardlink'
  | 'character-device'
  | 'block-device'
  | 'fifo'
  | 'socket'
  /** A type this reader does not know or package archives never use (tar `contiguous-file`, …). */
  | 'other';

/** An archive entry's header, as the tar.gz and zip readers report it. */
export interface ArchiveEntryHeader {
  /** The name as stored (decoded, never normalised). */
  readonly name: string;
  readonly kind: ArchiveEntryKind;
  /** Bytes of data the header declares (uncompressed). */
  readonly size: number;
  /** The target of a link entry, when the archive gives one. */
  readonly linkTarget?: string | undefined;
  /** For `other`: what the archive calls the type, e.g. `contiguous-file` or `type flag "V"`. */
  readonly typeName?: string | undefined;
}
