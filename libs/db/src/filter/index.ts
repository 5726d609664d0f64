export * from './filter-node.js';
export * from './compile-filter.js';
export { FILTER_FUNCTIONS } from './filter-functions.js';
export { printFilter } from './print-filter.js';
