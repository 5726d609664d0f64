export * from './archive-constants.js';
export * from './archive-entry.js';
export * from './archive-path-problem.js';
export * from './plan-archive-entries.js';
export * from './write-deterministic-archive.js';
export * from './hashing-pass-through.js';
