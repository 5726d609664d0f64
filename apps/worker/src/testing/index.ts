export * from './build-probes.js';
export * from './unpack-artifact.js';
export * from './worker-process.js';
