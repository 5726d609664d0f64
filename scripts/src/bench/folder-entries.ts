import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ArchiveFileEntry } from '@hfit/archive';

/** The regular files under `dir` as archive entries (paths relative to `dir`), and their total size. */
export async function folderEntries(dir: string): Promise<{ entries: ArchiveFileEntry[]; bytes: number }> {
  const entries: ArchiveFileEntry[] = [];
  let bytes = 0;
  for (const d of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!d.isFile()) continue;
    const file = path.join(d.parentPath, d.name);
    entries.push({ path: path.relative(dir, file).split(path.sep).join('/'), file });
    bytes += (await stat(file)).size;
  }
  return { entries, bytes };
}
