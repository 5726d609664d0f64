import { z } from 'zod';

/** What an audit event records. */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.logout',
  'browse.rows',
  'browse.file',
  'build.submit',
  'build.finish',
  'build.cancel',
  'build.download',
  'admin.user',
  'admin.key',
  'admin.token',
  'admin.signing-key',
  'access.denied',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * One audit event. Never carries a secret: filters are recorded as their sha256 (plus the text
 * when `audit.recordFilters` is on), tokens by id only.
 */
export const AuditEventSchema = z.object({
  /** Unique, sortable by time: `<ms since epoch, 13 digits>-<random>`. */
  id: z.string(),
  time: z.iso.datetime(),
  action: z.enum(AUDIT_ACTIONS),
  /**
   * `started`: a streamed answer (rows, a file, an archive) is about to be sent; it is recorded
   * before the first byte leaves, and the request fails if it cannot be. The `success`/`failure`
   * event after it carries the counts.
   */
  outcome: z.enum(['started', 'success', 'failure', 'denied']),
  /** The user acting (for `auth.login`, the username tried; `system` for the worker). */
  actor: z.string(),
  via: z.enum(['jwt', 'ci-token', 'static-token', 'key-signature', 'system']).optional(),
  /** Client address as the API saw it (after `api.trustProxy`). */
  clientIp: z.string().optional(),
  requestId: z.string().optional(),
  /** What was acted on: `source/database/table`, `volume:path`, a build id, a user… */
  target: z.string().optional(),
  buildId: z.string().optional(),
  owner: z.string().optional(),
  filterSha256: z.string().optional(),
  filter: z.string().optional(),
  rows: z.number().int().nonnegative().optional(),
  bytes: z.number().int().nonnegative().optional(),
  sha256: z.string().optional(),
  /** Error code of a failure or denial. */
  code: z.string().optional(),
  /** Short human text (never a secret). */
  detail: z.string().optional(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
/** What callers pass to record an event; `id` and `time` are filled in. */
export type AuditInput = Omit<AuditEvent, 'id' | 'time'> & { readonly time?: string };

/**
 * Records audit events (`@hfit/audit`). Rejects (`SERVICE_UNAVAILABLE`) when the event could not be
 * written durably: the API then refuses the audited action rather than completing it unrecorded.
 */
export interface AuditSink {
  record(event: AuditInput): Promise<void>;
}

/** `GET /v1/admin/audit` query. */
export const AuditQuerySchema = z
  .object({
    user: z.string().optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    since: z.iso.datetime().optional(),
    until: z.iso.datetime().optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    /** `nextCursor` of the previous page. */
    cursor: z.string().optional(),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

/** `GET /v1/admin/audit` answer, oldest first. */
export const AuditPageSchema = z.object({
  items: z.array(AuditEventSchema),
  nextCursor: z.string().optional(),
});
export type AuditPage = z.infer<typeof AuditPageSchema>;
