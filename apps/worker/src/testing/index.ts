export * from './build-probes.js';
export * from './tcp-proxy.js';
export * from './unpack-artifact.js';
export * from './worker-process.js';
