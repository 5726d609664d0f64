import { Access } from '@hfit/access';
import type { AuditReader } from '@hfit/audit';
import { AuditEventSchema, AuditPageSchema, AuditQuerySchema, AuditVerificationSchema, AuditVerifyQuerySchema } from '@hfit/contracts';
import type { RouteModule } from './route-module.js';
import { reply } from './route-spec.js';

/**
 * `GET /v1/admin/audit`: the audit trail (from the Redis stream of `@hfit/audit`), oldest first,
 * filtered by user (actor or owner), action and time, a page at a time. `GET /v1/admin/audit/verify`:
 * the audit files checked against their hash chains and the chain anchors in Redis. Both need the
 * `admin` action. Main wires them with the process's `AuditLog` (the `AuditSink` of `AppDeps` only
 * writes).
 */
export function auditRoutes(reader: AuditReader): RouteModule {
  return (registry) => {
    registry.components({ AuditEvent: AuditEventSchema, AuditPage: AuditPageSchema, AuditVerification: AuditVerificationSchema });
    registry.add({
      method: 'get',
      path: '/v1/admin/audit',
      operationId: 'listAuditEvents',
      summary: 'Audit events (logins, row and file reads, builds, downloads, admin changes), oldest first',
      tags: ['admin'],
      auth: 'bearer',
      query: AuditQuerySchema,
      responses: { 200: { description: 'A page of events; pass nextCursor as cursor for the next one', schema: AuditPageSchema } },
      handle: async ({ query }, { user }) => {
        new Access(user.policy).requireAction('admin');
        return reply(200, await reader.query(query));
      },
    });
    registry.add({
      method: 'get',
      path: '/v1/admin/audit/verify',
      operationId: 'verifyAudit',
      summary: 'Check the audit files: hash chains, and chain anchors in Redis (removed last lines, deleted files)',
      description:
        'Reads every audit file of this API\'s audit.dir (of UTC days at or after `since`) line by line. 200 whether or not the trail is intact: `ok` says, `files` lists the problems per file, `missing` the files Redis holds anchors of but the folder lacks.',
      tags: ['admin'],
      auth: 'bearer',
      query: AuditVerifyQuerySchema,
      responses: { 200: { description: 'The verification; `ok` is false when anything is wrong', schema: AuditVerificationSchema } },
      handle: async ({ query }, { user }) => {
        new Access(user.policy).requireAction('admin');
        return reply(200, await reader.verify(query));
      },
    });
  };
}
