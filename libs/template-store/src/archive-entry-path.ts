/**
 * Why an archive entry's path is refused, or `undefined` when it stays inside the archive root.
 * Refused: empty paths, absolute paths (`/x`, `\x`, `C:x`), any `..` segment (with `/` or `\` as
 * separator: archives made on Windows use both), and control characters (NUL ends a path in C
 * APIs). Entries are never written by path, but such a name only appears in a crafted or broken
 * archive, so it is reported rather than silently used.
 */
export function archiveEntryPathProblem(path: string): string | undefined {
  if (path === '') return 'is empty';
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'contains a control character';
  if (/^[/\\]/.test(path)) return 'is absolute';
  if (/^[A-Za-z]:/.test(path)) return 'starts with a drive letter';
  if (path.split(/[/\\]/).includes('..')) return 'contains a ".." segment that leaves the archive';
  return undefined;
}

/** The file name of an archive path: its last non-empty segment (`a/b/c.yaml` → `c.yaml`). */
export function archiveEntryBaseName(path: string): string {
  const segments = path.split(/[/\\]/).filter((s) => s !== '');
  return segments[segments.length - 1] ?? '';
}
