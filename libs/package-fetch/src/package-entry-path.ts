import { relativePathProblem, windowsReservedNameProblem } from './relative-path-problem.js';

/** Where an archive entry goes inside the package folder. */
export interface PackageEntryPath {
  /** Segments under the package folder; empty for the package folder itself (`<packageName>/`). */
  readonly segments: readonly string[];
  /** The name ended with `/` (a folder entry). */
  readonly trailingSlash: boolean;
}

/**
 * Where the archive entry `name` lands under the package folder, or why it may not be unpacked: it
 * must be `<packageName>/` or a safe relative path under it (see {@link relativePathProblem}), so
 * absolute paths, drive letters, `\`, `..`, empty segments and control characters are refused, as
 * is anything outside `<packageName>/`, and with `windows`, device names such as `NUL` (see
 * {@link windowsReservedNameProblem}).
 * @returns the path, or a string saying why (to follow `entry "<name>"`).
 */
export function packageEntryPath(name: string, packageName: string, windows = process.platform === 'win32'): PackageEntryPath | string {
  const trailingSlash = name.endsWith('/');
  const path = trailingSlash ? name.slice(0, -1) : name;
  if (path === '') return name === '' ? 'has an empty name' : 'is the root folder "/"';
  const problem = relativePathProblem(path);
  if (problem !== undefined) return problem;
  const [top, ...segments] = path.split('/');
  if (top !== packageName) return `is outside the package folder "${packageName}/"`;
  if (windows) {
    for (const segment of segments) {
      const reserved = windowsReservedNameProblem(segment);
      if (reserved !== undefined) return reserved;
    }
  }
  if (segments.length === 0 && !trailingSlash) return `is a file where the package folder "${packageName}/" should be`;
  return { segments, trailingSlash };
}
