/** Where a package keeps its manifest, relative to the package folder. */
export const PACKAGE_MANIFEST_PATH = 'METADATA/manifest.json';
