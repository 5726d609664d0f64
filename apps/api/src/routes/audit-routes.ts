import { Access } from '@hfit/access';
import type { AuditReader } from '@hfit/audit';
import { AuditEventSchema, AuditPageSchema, AuditQuerySchema } from '@hfit/contracts';
import type { RouteModule } from './route-module.js';
import { reply } from './route-spec.js';

/**
 * `GET /v1/admin/audit`: the audit trail (from the Redis stream of `@hfit/audit`), oldest first,
 * filtered by user (actor or owner), action and time, a page at a time. Needs the `admin` action.
 * Main wires it with the process's `AuditLog` (the `AuditSink` of `AppDeps` only writes).
 */
export function auditRoutes(reader: AuditReader): RouteModule {
  return (registry) => {
    registry.components({ AuditEvent: AuditEventSchema, AuditPage: AuditPageSchema });
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
  };
}
