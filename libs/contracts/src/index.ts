export * from './field-path.js';
export * from './hfit-error.js';
export * from './job-failure.js';
export * from './manifest.js';
export * from './queue-names.js';
export * from './zod-issue-message.js';
export * from './api/index.js';
export * from './canonical-json.js';
