export * from './ddl-options.js';
export * from './read-table-ddl.js';
export * from './read-database-ddl.js';
