export * from './in-memory-build-service.js';
export * from './log-capture.js';
export * from './platform-app.js';
export * from './raw-request.js';
export * from './start-test-app.js';
export * from './tar-gz.js';
export * from './collecting-audit-sink.js';
export * from './unlimited-rate-limits.js';
