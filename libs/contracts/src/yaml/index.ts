export * from './yaml-locator.js';
