export * from './connection/source-connection.js';
export * from './connection/open-mysql-connection.js';
export * from './connection/open-postgres-connection.js';
export * from './connection/open-source-connection.js';
export * from './connection/extraction-session.js';
export * from './introspection/table-info.js';
export * from './introspection/catalog.js';
