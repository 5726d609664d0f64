export * from './scratch-database.js';
export * from '../ddl/testing/load-sql-script.js';
