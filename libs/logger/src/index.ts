export * from './create-logger.js';
export * from './log-tee.js';
