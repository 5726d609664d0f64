import type { AuditPage, AuditQuery, AuditVerification, AuditVerifyQuery } from '@hfit/contracts';

/** Reads the audit trail (`GET /v1/admin/audit`, `GET /v1/admin/audit/verify`); the write side is `AuditSink`. */
export interface AuditReader {
  query(query: AuditQuery): Promise<AuditPage>;
  /** Checks the audit files against their hash chains and the chain anchors in Redis. */
  verify(options?: AuditVerifyQuery): Promise<AuditVerification>;
}
