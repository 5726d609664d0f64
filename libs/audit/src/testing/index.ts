export * from './test-audit-dir.js';
