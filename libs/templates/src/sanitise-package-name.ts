import { HfitError } from '@hfit/contracts';

/** Longest package name in UTF-8 bytes, leaving room for `.tar.gz` within a 255-byte file name. */
export const MAX_PACKAGE_NAME_BYTES = 200;

const FORBIDDEN = /[\u0000-\u001f\u007f/\\<>:"|?*]/;

/**
 * Why `name` is not a safe package folder/archive name, or `undefined`. It must be one path
 * segment that is a valid file name on Linux, macOS and Windows.
 */
export function packageNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'is empty';
  if (name === '.' || name === '..') return `is "${name}"`;
  const bad = FORBIDDEN.exec(name);
  if (bad) {
    return bad[0] === '/' || bad[0] === '\\'
      ? 'contains a path separator: a package name is a single folder name'
      : `contains ${/[\u0000-\u001f\u007f]/.test(bad[0]) ? 'a control character' : `"${bad[0]}"`}, which is not allowed in file names`;
  }
  if (/[. ]$/.test(name)) return 'ends with "." or a space, which Windows cannot unpack';
  if (Buffer.byteLength(name) > MAX_PACKAGE_NAME_BYTES) return `is longer than ${MAX_PACKAGE_NAME_BYTES} bytes`;
  return undefined;
}

/**
 * Returns `name` when it is a safe package name (see {@link packageNameProblem}).
 * @throws HfitError EXPORT_NAME_INVALID (field `packageName`) naming the problem.
 */
export function sanitisePackageName(name: string, written: string = name): string {
  const problem = packageNameProblem(name);
  if (problem !== undefined) {
    const shown = JSON.stringify(name);
    throw new HfitError(
      'EXPORT_NAME_INVALID',
      `packageName ${JSON.stringify(written)}${shown === JSON.stringify(written) ? '' : ` (resolved to ${shown})`} ${problem}: ` +
        'use a single folder name such as "basedata_$1"',
      { field: 'packageName' },
    );
  }
  return name;
}
