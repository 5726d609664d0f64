export * from './access.js';
export * from './config-policy-resolver.js';
export * from './glob-match.js';
export * from './grant-union.js';
export * from './policy-of.js';
