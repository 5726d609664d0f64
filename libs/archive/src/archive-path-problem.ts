/** Longest allowed path segment, in UTF-8 bytes (the usual file-system limit). */
export const MAX_ARCHIVE_SEGMENT_BYTES = 255;

const CONTROL = /[\u0000-\u001f\u007f]/;

function segmentProblem(segment: string): string | undefined {
  if (segment === '') return 'has an empty path segment ("//", or a leading or trailing "/")';
  if (segment === '.' || segment === '..') return `has a "${segment}" segment: archive paths must stay inside the top folder`;
  if (Buffer.byteLength(segment) > MAX_ARCHIVE_SEGMENT_BYTES) return `has a segment longer than ${MAX_ARCHIVE_SEGMENT_BYTES} bytes`;
  return undefined;
}

function characterProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  // NUL ends a name in tar headers and C APIs; other control characters make listings lie.
  if (CONTROL.test(name)) return 'contains a control character';
  if (name.includes('\\')) return 'contains "\\": use "/" to separate folders';
  return undefined;
}

/**
 * Why `path` cannot name a file inside an archive's top folder, or `undefined` when it can. A safe
 * path is relative and `/`-separated: no leading `/`, no drive letter, no `\`, no control character
 * (NUL included), no empty, `.` or `..` segment, no segment over {@link MAX_ARCHIVE_SEGMENT_BYTES}
 * bytes. Unpacking such a path can only create files inside the top folder.
 */
export function archivePathProblem(path: string): string | undefined {
  const c = characterProblem(path);
  if (c !== undefined) return c;
  if (path.startsWith('/')) return 'is an absolute path: use a path relative to the top folder';
  if (/^[A-Za-z]:/.test(path)) return 'starts with a drive letter: use a path relative to the top folder';
  for (const segment of path.split('/')) {
    const s = segmentProblem(segment);
    if (s !== undefined) return s;
  }
  return undefined;
}

/**
 * Why `name` cannot be an archive's top folder, or `undefined` when it can: it must be one safe
 * path segment (see {@link archivePathProblem}) without `/` or `:` (archiver strips a leading
 * `word:` from entry names, and Windows forbids `:` in file names).
 */
export function topFolderProblem(name: string): string | undefined {
  const c = characterProblem(name);
  if (c !== undefined) return c;
  if (name.includes('/')) return 'contains "/": the top folder must be a single folder name';
  if (name.includes(':')) return 'contains ":"';
  return segmentProblem(name);
}
