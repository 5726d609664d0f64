import type { AuditConfig } from '@hfit/config';
import type { Logger } from '@hfit/logger';
import type { Redis } from 'ioredis';
import { AuditLog } from './audit-log.js';

/** Options of {@link createAuditLog} beyond the config (tests). */
export interface CreateAuditLogOptions {
  readonly host?: string;
  readonly now?: () => number;
}

/** Key of the audit stream under a Redis prefix. */
export function auditStreamKey(prefix: string): string {
  return `${prefix}:audit`;
}

/**
 * The {@link AuditLog} of a server config: files in `audit.dir` (absolute once loaded), the stream
 * `<redis.prefix>:audit` on `redis` (pass the process's `queue`-role connection; the caller closes
 * it, after `auditLog.close()`).
 */
export function createAuditLog(config: AuditConfig, redis: Redis, prefix: string, logger: Logger, options: CreateAuditLogOptions = {}): AuditLog {
  return new AuditLog({
    dir: config.dir,
    redis,
    streamKey: auditStreamKey(prefix),
    streamMaxLen: config.streamMaxLen,
    recordFilters: config.recordFilters,
    logger,
    ...options,
  });
}
