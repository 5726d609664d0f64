export * from './apply-template-patch.js';
export * from './archive-entry-path.js';
export * from './read-template-archive.js';
export * from './template-keys.js';
export * from './template-store.js';
export * from './upload-options.js';
