import type { ArchiveEntryHeader } from './archive-entry-header.js';

/**
 * Called by the archive readers for each entry, in archive order. `open` gives the entry's bytes
 * (call it only for an entry to write, once, and read them to the end before returning); throwing
 * stops the read.
 */
export type ArchiveEntryVisitor = (header: ArchiveEntryHeader, open: () => Promise<AsyncIterable<Uint8Array>>) => Promise<void>;
