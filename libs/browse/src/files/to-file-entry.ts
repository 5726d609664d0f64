import type { FileEntry } from '@hfit/contracts';
import type { WalkedEntry } from './walk-volume-folder.js';

/** The API form of a walked entry: modification time as ISO 8601 UTC. */
export function toFileEntry(e: WalkedEntry): FileEntry {
  return { name: e.name, path: e.path, size: e.size, modtime: new Date(e.mtimeMs).toISOString(), isdir: e.isdir };
}
