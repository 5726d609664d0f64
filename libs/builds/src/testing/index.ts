export * from './platform-fixture.js';
