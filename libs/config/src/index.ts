export * from './find-configured.js';
export * from './interpolate-env.js';
export * from './load-server-config.js';
export * from './loaded-server-config.js';
export * from './parse-server-config.js';
export * from './redact-config.js';
export * from './server-config-schema.js';
