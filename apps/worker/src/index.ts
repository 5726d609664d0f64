export * from './engine-config.js';
export * from './start-worker.js';
export * from './workers/build-worker.js';
export * from './workers/export-worker.js';
export * from './workers/maintenance-worker.js';
