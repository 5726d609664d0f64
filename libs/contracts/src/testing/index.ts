export * from './thrown-hfit-error.js';
export * from './live-memory-bytes.js';
export * from './peak-memory-sampler.js';
export * from './test-secrets.js';
export * from './tcp-proxy.js';
