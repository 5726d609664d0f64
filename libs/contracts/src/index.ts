export * from './field-path.js';
export * from './hfit-error.js';
export * from './manifest.js';
export * from './zod-issue-message.js';
