import type { ArchiveFormat } from '@hfit/contracts';

/** Object-store prefix of published packages: `packages/<packageName>/<buildId>.<ext>`. */
export const PACKAGES_PREFIX = 'packages/';
/** Object-store prefix of parts written by export jobs before the archive is assembled. */
export const STAGING_PREFIX = 'staging/';
/** Suffix of the build record stored beside each archive. */
export const RECORD_SUFFIX = '.build.json';

/** Key of a build's archive. */
export function artifactKey(packageName: string, buildId: string, format: ArchiveFormat): string {
  return `${PACKAGES_PREFIX}${packageName}/${buildId}.${format}`;
}

/** Key of the build record stored beside the archive (what the catalogue is rebuilt from). */
export function recordKey(packageName: string, buildId: string): string {
  return `${PACKAGES_PREFIX}${packageName}/${buildId}${RECORD_SUFFIX}`;
}

/** Prefix of everything one build stages. */
export function stagingPrefix(buildId: string): string {
  return `${STAGING_PREFIX}${buildId}/`;
}

/** Prefix of what one export group of a build stages. */
export function groupStagingPrefix(buildId: string, group: number): string {
  return `${stagingPrefix(buildId)}${group}/`;
}
