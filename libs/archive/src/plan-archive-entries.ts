import { HfitError, type ErrorDetail } from '@hfit/contracts';
import type { ArchiveEntry } from './archive-entry.js';
import { archivePathProblem, topFolderProblem } from './archive-path-problem.js';

/** One entry as it is written: its full name in the archive and where its bytes come from. */
export type PlannedArchiveEntry =
  /** A folder; `name` ends with `/`. */
  | { readonly kind: 'directory'; readonly name: string }
  | { readonly kind: 'file'; readonly name: string; readonly file: string }
  | { readonly kind: 'content'; readonly name: string; readonly content: Uint8Array };

/** Byte order of the UTF-8 names, which (unlike `<` on UTF-16 strings) is the same in every tool. */
function compareNames(a: PlannedArchiveEntry, b: PlannedArchiveEntry): number {
  return Buffer.compare(Buffer.from(a.name), Buffer.from(b.name));
}

/** How a name is seen by a case-insensitive, normalising file system (macOS, Windows). */
function folded(path: string): string {
  return path.normalize('NFC').toLowerCase();
}

/**
 * Validates `topFolder` and every entry path, and returns the entries to write in their archive
 * order: an explicit entry for the top folder and every folder under it (so unpackers create
 * folders with the fixed mode instead of their umask's), then every file, all sorted by the byte
 * order of their full names. A folder sorts before everything inside it, whatever the input order.
 *
 * Rejected, all reported at once: an unsafe top folder or path (see {@link archivePathProblem}),
 * equal paths, paths equal after case folding and Unicode NFC normalisation (one would overwrite
 * the other when unpacked on macOS or Windows), and a path that is also the folder of another.
 * @throws HfitError EXPORT_NAME_INVALID with one detail per problem.
 */
export function planArchiveEntries(topFolder: string, entries: readonly ArchiveEntry[]): PlannedArchiveEntry[] {
  const problems: ErrorDetail[] = [];
  const topProblem = typeof topFolder === 'string' ? topFolderProblem(topFolder) : 'is not a string';
  if (topProblem !== undefined) {
    problems.push({ field: 'topFolder', message: `top folder ${JSON.stringify(topFolder)} ${topProblem}: use a single folder name such as the package name` });
  }

  const files = new Map<string, { path: string; index: number }>();
  const directories = new Map<string, string>();
  const planned: PlannedArchiveEntry[] = [];
  entries.forEach((entry, index) => {
    const field = `entries[${index}].path`;
    const path: unknown = entry.path;
    const problem = typeof path === 'string' ? archivePathProblem(path) : 'is not a string';
    if (problem !== undefined) {
      problems.push({ field, message: `archive entry ${JSON.stringify(path)}: the path ${problem}` });
      return;
    }
    const p = path as string;
    const key = folded(p);
    const earlier = files.get(key);
    if (earlier !== undefined) {
      const what = earlier.path === p ? 'appears twice' : `and ${JSON.stringify(earlier.path)} differ only in case or Unicode normalisation`;
      problems.push({ field, message: `archive entry ${JSON.stringify(p)} ${what} (entries[${earlier.index}]): give every entry its own path` });
      return;
    }
    files.set(key, { path: p, index });
    const segments = p.split('/');
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join('/');
      if (!directories.has(dir)) directories.set(dir, key.split('/').slice(0, i).join('/'));
    }
    const name = `${topFolder}/${p}`;
    if ('content' in entry && !('file' in entry)) {
      if (!(entry.content instanceof Uint8Array)) {
        problems.push({ field: `entries[${index}].content`, message: `archive entry ${JSON.stringify(p)}: content must be a Buffer or Uint8Array` });
      } else {
        planned.push({ kind: 'content', name, content: entry.content });
      }
    } else if ('file' in entry && !('content' in entry) && typeof entry.file === 'string' && entry.file !== '') {
      planned.push({ kind: 'file', name, file: entry.file });
    } else {
      problems.push({ field: `entries[${index}]`, message: `archive entry ${JSON.stringify(p)}: give exactly one of "file" (a local file path) or "content" (bytes)` });
    }
  });

  const foldedDirectories = new Set(directories.values());
  for (const [key, { path, index }] of files) {
    if (foldedDirectories.has(key)) {
      problems.push({
        field: `entries[${index}].path`,
        message: `archive entry ${JSON.stringify(path)} would have to be both a file and the folder of another entry: rename one of them`,
      });
    }
  }

  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw new HfitError('EXPORT_NAME_INVALID', `${problems[0]!.message}${more}`, { field: problems[0]!.field!, details: problems });
  }

  planned.push({ kind: 'directory', name: `${topFolder}/` });
  for (const dir of directories.keys()) planned.push({ kind: 'directory', name: `${topFolder}/${dir}/` });
  return planned.sort(compareNames);
}
