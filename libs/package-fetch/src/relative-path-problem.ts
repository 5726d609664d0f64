/** Longest path segment, in UTF-8 bytes (the usual file-system limit). */
export const MAX_SEGMENT_BYTES = 255;

const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Why `segment` cannot be one folder or file name inside a package folder, or `undefined`. Refused:
 * empty, `.` and `..`, names made only of dots and spaces (Windows drops trailing dots and spaces,
 * so `.. ` would mean `..` there), names over {@link MAX_SEGMENT_BYTES} bytes, and names with `/`,
 * `\`, a control character (NUL included) or a leading drive letter (`C:`).
 */
export function segmentProblem(segment: string): string | undefined {
  if (segment === '') return 'has an empty path segment ("//")';
  if (segment === '.' || segment === '..') return `has a "${segment}" segment, which would climb out of its folder`;
  if (/^[. ]+$/.test(segment)) return `has a segment of dots and spaces only (${JSON.stringify(segment)}), which Windows reads as "." or ".."`;
  if (CONTROL.test(segment)) return 'contains a control character (NUL included)';
  if (segment.includes('\\')) return 'contains "\\", a Windows path separator';
  if (segment.includes('/')) return 'contains "/"';
  if (/^[A-Za-z]:/.test(segment)) return 'starts with a drive letter';
  if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) return `has a segment longer than ${MAX_SEGMENT_BYTES} bytes`;
  return undefined;
}

/**
 * Why `path` cannot name a file inside a package folder, or `undefined` when it can: it must be
 * relative and `/`-separated, every segment passing {@link segmentProblem}. Such a path, joined to
 * a folder, can only name something inside that folder.
 */
export function relativePathProblem(path: string): string | undefined {
  if (path === '') return 'is empty';
  // Checked on the whole path first, so that the message names the real problem.
  if (CONTROL.test(path)) return 'contains a control character (NUL included)';
  if (path.includes('\\')) return 'contains "\\", a Windows path separator';
  if (path.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(path)) return 'starts with a drive letter';
  for (const segment of path.split('/')) {
    const problem = segmentProblem(segment);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * Why `segment` cannot be a file or folder name on Windows, or `undefined`: `CON`, `PRN`, `AUX`,
 * `NUL`, `COM1`–`COM9` and `LPT1`–`LPT9`, also with an extension (`nul.txt`), name devices there,
 * in any folder. Checked only when unpacking on Windows: elsewhere they are ordinary names.
 */
export function windowsReservedNameProblem(segment: string): string | undefined {
  const stem = segment.split('.')[0]!.trimEnd();
  return /^(?:con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])$/i.test(stem) ? `has a segment (${JSON.stringify(segment)}) that names a device on Windows` : undefined;
}

/**
 * Why `name` cannot be a package folder's name (one safe segment, and with `windows` no device
 * name), or `undefined`.
 */
export function packageNameProblem(name: string, windows = process.platform === 'win32'): string | undefined {
  if (typeof name !== 'string') return 'is not a string';
  if (name.includes('/')) return 'contains "/": a package name is a single folder name';
  return segmentProblem(name) ?? (windows ? windowsReservedNameProblem(name) : undefined);
}
