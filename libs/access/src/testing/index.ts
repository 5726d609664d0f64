export * from './switchable-policy-resolver.js';
