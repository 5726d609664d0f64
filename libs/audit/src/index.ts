export * from './audit-log.js';
export * from './audit-reader.js';
export * from './create-audit-log.js';
export * from './secret-scrubber.js';
export type { AuditChainHead } from './file/audit-chain-head.js';
export * from './file/audit-file-name.js';
export * from './file/audit-line.js';
export * from './file/verify-audit-file.js';
export type { ReindexResult } from './stream/audit-stream.js';
