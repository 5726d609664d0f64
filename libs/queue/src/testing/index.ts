export * from './queue-test-context.js';
export * from './redis-test-prefix.js';
export * from './wait-for-event.js';
