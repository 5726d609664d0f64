export * from './server-config-schema.js';
