import { HfitError } from '@hfit/contracts';

/** Longest allowed path segment, in UTF-8 bytes (the usual file-system limit). */
export const MAX_SEGMENT_BYTES = 255;
/** Longest allowed export path, in UTF-8 bytes. */
export const MAX_EXPORT_PATH_BYTES = 1024;
/** Folder reserved for hfit's own files inside a package. */
export const RESERVED_FOLDER = 'METADATA';

const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Why `name` is not a safe export path inside a package, or `undefined` when it is. An export path
 * is a relative POSIX path: no leading `/`, no drive letter, no `\`, no control characters, no empty,
 * `.` or `..` segments, no segment over {@link MAX_SEGMENT_BYTES} bytes, and nothing under the
 * reserved `METADATA/` folder (compared case-insensitively, as archives are unpacked on
 * case-insensitive file systems too).
 */
export function exportNameProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  if (CONTROL.test(name)) return 'contains a control character';
  if (name.includes('\\')) return 'contains "\\": use "/" to separate folders';
  if (name.startsWith('/')) return 'is an absolute path: use a path relative to the package folder';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter: use a path relative to the package folder';
  if (Buffer.byteLength(name) > MAX_EXPORT_PATH_BYTES) return `is longer than ${MAX_EXPORT_PATH_BYTES} bytes`;
  const segments = name.split('/');
  for (const s of segments) {
    if (s === '') return 'has an empty path segment ("//" or a trailing "/")';
    if (s === '.' || s === '..') return `has a "${s}" segment: export paths must stay inside the package folder`;
    if (Buffer.byteLength(s) > MAX_SEGMENT_BYTES) return `has a segment longer than ${MAX_SEGMENT_BYTES} bytes`;
  }
  if (segments[0]!.toUpperCase() === RESERVED_FOLDER) {
    return `is inside "${RESERVED_FOLDER}/", which is reserved for the package manifest: choose another name`;
  }
  return undefined;
}

/**
 * Returns `name` when it is a safe export path (see {@link exportNameProblem}).
 * @param key the export key it came from, named in the error.
 * @throws HfitError EXPORT_NAME_INVALID naming the key, the problem and the fix.
 */
export function sanitiseExportName(name: string, key: string = name): string {
  const problem = exportNameProblem(name);
  if (problem !== undefined) {
    const shown = JSON.stringify(name);
    throw new HfitError(
      'EXPORT_NAME_INVALID',
      `export "${key}"${shown === JSON.stringify(key) ? '' : ` (resolved to ${shown})`}: the name ${problem}`,
      { field: `exports.${key}` },
    );
  }
  return name;
}

/** An export name to check for conflicts, with the key it came from. */
export interface NamedExport {
  readonly key: string;
  readonly name: string;
  readonly line?: number | undefined;
}

/** Two exports whose package paths clash. */
export interface ExportNameConflict {
  readonly first: NamedExport;
  readonly second: NamedExport;
  readonly message: string;
}

/**
 * Finds pairs of export paths that would overwrite each other when the package is written or
 * unpacked: equal paths (also equal ignoring case) and a path that is a folder of another (`a` and
 * `a/b`, which cannot both exist).
 */
export function findExportNameConflicts(exports: readonly NamedExport[]): ExportNameConflict[] {
  const conflicts: ExportNameConflict[] = [];
  const sorted = exports
    .map((e) => ({ e, folded: e.name.normalize('NFC').toLowerCase() }))
    .sort((a, b) => (a.folded < b.folded ? -1 : a.folded > b.folded ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    // Every name that a.folded is equal to or a folder of sorts right after it.
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]!;
      const same = b.folded === a.folded;
      if (!same && !b.folded.startsWith(`${a.folded}/`)) {
        if (!b.folded.startsWith(a.folded)) break;
        continue;
      }
      const what = same
        ? a.e.name === b.e.name
          ? `both resolve to "${a.e.name}"`
          : `resolve to "${a.e.name}" and "${b.e.name}", which differ only in case`
        : `"${a.e.name}" would have to be both a file and the folder of "${b.e.name}"`;
      conflicts.push({
        first: a.e,
        second: b.e,
        message: `exports "${a.e.key}" and "${b.e.key}" ${what}: give them distinct names`,
      });
    }
  }
  return conflicts;
}

/**
 * Throws when export paths clash (see {@link findExportNameConflicts}).
 * @throws HfitError EXPORT_NAME_INVALID naming both keys of every conflict.
 */
export function assertNoExportNameConflicts(exports: readonly NamedExport[]): void {
  const conflicts = findExportNameConflicts(exports);
  if (conflicts.length === 0) return;
  throw new HfitError('EXPORT_NAME_INVALID', conflicts.map((c) => c.message).join('; '), {
    field: `exports.${conflicts[0]!.second.key}`,
    details: conflicts.map((c) => ({
      message: c.message,
      field: `exports.${c.second.key}`,
      ...(c.second.line === undefined ? {} : { line: c.second.line }),
    })),
  });
}
