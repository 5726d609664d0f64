export * from './artifact-server.js';
export * from './tar-gz-archive.js';
export * from './tree-snapshot.js';
export * from './zip-archive.js';
