export * from './recording-server.js';
