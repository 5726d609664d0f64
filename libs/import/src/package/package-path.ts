/**
 * Why a manifest file path cannot be used, or undefined when it is a plain relative path inside
 * the package: `/`-separated, no empty, `.` or `..` segment, not absolute, no backslash or NUL.
 * Such paths cannot name anything outside the package folder (when read) or outside the files
 * folder (when copied).
 */
export function packagePathProblem(p: string): string | undefined {
  if (p === '') return 'is empty';
  if (p.includes('\u0000')) return 'contains a NUL character';
  if (p.includes('\\')) return 'contains a backslash (package paths are /-separated)';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'is absolute';
  for (const seg of p.split('/')) {
    if (seg === '') return 'has an empty segment';
    if (seg === '.' || seg === '..') return `has a "${seg}" segment`;
  }
  return undefined;
}
