export * from './in-memory-build-service.js';
export * from './log-capture.js';
export * from './start-test-app.js';
