import { readdir } from 'node:fs/promises';
import { parseAuditFileName } from './audit-file-name.js';

/** An audit file in the folder. */
export interface AuditFileEntry {
  /** File name (`audit-<UTC day>.<host>.jsonl`). */
  readonly name: string;
  /** Its UTC day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly host: string;
}

/** The audit files in `dir` (other files are ignored), oldest day first, then by name. A missing folder holds none. */
export async function listAuditFiles(dir: string): Promise<AuditFileEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files: AuditFileEntry[] = [];
  // `audit-<YYYY-MM-DD>.` is fixed-width: sorting the names sorts by day.
  for (const name of names.sort()) {
    const parsed = parseAuditFileName(name);
    if (parsed !== undefined) files.push({ name, ...parsed });
  }
  return files;
}
