export * from './download-build-artifact.js';
export * from './download-interrupted-error.js';
export * from './downloadable-artifact.js';
export * from './package-manifest-path.js';
export * from './unpack-limits.js';
export * from './unpack-package.js';
export * from './verify-package.js';
