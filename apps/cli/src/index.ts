export * from './base-command.js';
export * from './exit-codes.js';
export * from './errors/cli-error.js';
export * from './errors/describe-error.js';
