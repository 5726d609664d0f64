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

/** `GET /v1/admin/audit/verify` query. */
export const AuditVerifyQuerySchema = z
  .object({
    /** Check only the files (and chain anchors) of this UTC day and later. */
    since: z.iso.date({ error: 'must be a UTC day as YYYY-MM-DD, e.g. 2026-05-01' }).optional(),
  })
  .strict();
export type AuditVerifyQuery = z.infer<typeof AuditVerifyQuerySchema>;

/** One thing wrong with an audit file: at a 1-based line, or (no line) about a chain as a whole. */
export const AuditFileProblemSchema = z.object({
  line: z.number().int().positive().optional(),
  message: z.string(),
});
export type AuditFileProblem = z.infer<typeof AuditFileProblemSchema>;

/** The check of one audit file. */
export const AuditFileReportSchema = z.object({
  /** File name in `audit.dir` (`audit-<UTC day>.<host>.jsonl`). */
  file: z.string(),
  /** Audit lines read (valid or not; empty lines are not counted). */
  lines: z.number().int().nonnegative(),
  /** Writers (hash chains: one per process that wrote to the file) seen. */
  writers: z.number().int().nonnegative(),
  ok: z.boolean(),
  problems: z.array(AuditFileProblemSchema),
});
export type AuditFileReport = z.infer<typeof AuditFileReportSchema>;

/** A file the chain anchors in Redis name but `audit.dir` does not hold. */
export const AuditMissingFileSchema = z.object({
  file: z.string(),
  /** The writers whose chains in that file Redis holds anchors of. */
  writers: z.array(z.string()),
  message: z.string(),
});
export type AuditMissingFile = z.infer<typeof AuditMissingFileSchema>;

/**
 * `GET /v1/admin/audit/verify` answer: every audit file's hash chains, checked against the chain
 * heads recorded in Redis (so removing the last lines of a chain, or a whole file, shows too).
 */
export const AuditVerificationSchema = z.object({
  /** No file has a problem and none is missing. */
  ok: z.boolean(),
  /** Oldest day first. */
  files: z.array(AuditFileReportSchema),
  missing: z.array(AuditMissingFileSchema),
});
export type AuditVerification = z.infer<typeof AuditVerificationSchema>;
