export * from './start-fake-s3.js';
