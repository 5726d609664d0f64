export * from './thrown-hfit-error.js';
