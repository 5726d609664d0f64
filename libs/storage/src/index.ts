export * from './byte-range.js';
export * from './create-object-store.js';
export * from './fs/fs-object-store.js';
export * from './object-key-problem.js';
export * from './object-store-options.js';
export * from './object-store.js';
export * from './s3/s3-object-store.js';
export * from './storage-errors.js';
