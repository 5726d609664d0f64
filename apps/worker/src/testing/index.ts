export * from './unpack-artifact.js';
