import type { AuditPage, AuditQuery } from '@hfit/contracts';

/** Reads the audit trail (`GET /v1/admin/audit`); the write side is `AuditSink`. */
export interface AuditReader {
  query(query: AuditQuery): Promise<AuditPage>;
}
