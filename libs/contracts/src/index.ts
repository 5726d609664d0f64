export * from './hfit-error.js';
export * from './manifest.js';
