export * from './login-key-pair.js';
export * from './security-fixture.js';
