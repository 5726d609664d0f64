export * from './browse.js';
export * from './builds.js';
export * from './health.js';
export * from './problem.js';
export * from './templates.js';
export * from './whoami.js';
