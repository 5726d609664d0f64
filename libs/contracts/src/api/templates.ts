import { z } from 'zod';
import { ErrorCodes } from '../hfit-error.js';
import { NameSchema } from './builds.js';
import { ProblemDetailSchema } from './problem.js';

/** Lower-case hex sha256 of a template's UTF-8 bytes. */
const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');

/** Largest template text accepted, in characters (the template parser's limit). */
const MAX_TEMPLATE_TEXT = 1024 * 1024;

/** One stored template in `GET /v1/templates`. */
export const TemplateSummarySchema = z.object({
  /** The template's `templateName` (or legacy `name`), which is also its key. */
  name: NameSchema,
  /** Bytes of the stored YAML (UTF-8). */
  size: z.number().int().nonnegative(),
  /** When it was last written, ISO 8601. */
  updatedAt: z.iso.datetime(),
  sha256: Sha256Schema,
});
export type TemplateSummary = z.infer<typeof TemplateSummarySchema>;

/** `GET /v1/templates`: the caller's templates, sorted by name. */
export const TemplateListSchema = z.object({
  items: z.array(TemplateSummarySchema),
});
export type TemplateList = z.infer<typeof TemplateListSchema>;

/** One stored template with its YAML text: `GET /v1/templates/:name`, and the answer of a create or update. */
export const TemplateTextSchema = z.object({
  name: NameSchema,
  /** The YAML exactly as stored (comments and key order kept). */
  text: z.string(),
  sha256: Sha256Schema,
  updatedAt: z.iso.datetime(),
});
export type TemplateText = z.infer<typeof TemplateTextSchema>;

/**
 * JSON body of `POST /v1/templates` (create) and `PUT /v1/templates/:name` (update) when the
 * client sends JSON rather than the YAML itself (`Content-Type: application/yaml`).
 */
export const TemplateWriteRequestSchema = z
  .object({
    text: z.string().min(1).max(MAX_TEMPLATE_TEXT),
  })
  .strict();
export type TemplateWriteRequest = z.infer<typeof TemplateWriteRequestSchema>;

/**
 * `PATCH /v1/templates/:name` (`application/merge-patch+json`): top-level keys of the template to
 * set; a key set to `null` is removed. Each key replaces the whole value (no deep merge).
 */
export const PatchRequestSchema = z.record(z.string().min(1), z.json());
export type PatchRequest = z.infer<typeof PatchRequestSchema>;

/** What a patch did to one top-level key. */
export const TemplateDiffEntrySchema = z.object({
  key: z.string(),
  op: z.enum(['added', 'removed', 'changed']),
  /** Value before the patch (absent for `added`). */
  before: z.json().optional(),
  /** Value after the patch (absent for `removed`). */
  after: z.json().optional(),
});
export type TemplateDiffEntry = z.infer<typeof TemplateDiffEntrySchema>;

/** Answer of a patch: the stored template after it, and one diff entry per key that changed. */
export const PatchResultSchema = TemplateTextSchema.extend({
  /** In the order of the patch's keys; keys whose value did not change are not listed. */
  diff: z.array(TemplateDiffEntrySchema),
});
export type PatchResult = z.infer<typeof PatchResultSchema>;

/** Query of `POST /v1/templates/upload`; `overwrite=true` replaces stored templates that differ. */
export const UploadQuerySchema = z
  .object({
    overwrite: z
      .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
  })
  .strict();
export type UploadQuery = z.infer<typeof UploadQuerySchema>;

/** What happened to one archive entry of a bulk upload. */
export const UploadFileStatusSchema = z.enum(['created', 'updated', 'unchanged', 'skipped', 'error']);
export type UploadFileStatus = z.infer<typeof UploadFileStatusSchema>;

/** Why one archive entry was not stored (the error's plain-object form). */
export const UploadFileErrorSchema = z.object({
  code: z.enum(ErrorCodes),
  message: z.string(),
  field: z.string().optional(),
  line: z.number().int().optional(),
  details: z.array(ProblemDetailSchema).optional(),
});
export type UploadFileError = z.infer<typeof UploadFileErrorSchema>;

/** Report line of one archive entry. */
export const UploadFileReportSchema = z.object({
  /** Path of the entry as written in the archive. */
  file: z.string(),
  /** The template's name, once its YAML was read. */
  name: NameSchema.optional(),
  status: UploadFileStatusSchema,
  /** Why a `skipped` entry was skipped. */
  reason: z.string().optional(),
  /** Set exactly when `status` is `error`. */
  error: UploadFileErrorSchema.optional(),
});
export type UploadFileReport = z.infer<typeof UploadFileReportSchema>;

/** Answer of a bulk upload: one line per archive entry, in archive order, and the count per status. */
export const UploadReportSchema = z.object({
  files: z.array(UploadFileReportSchema),
  counts: z.object({
    created: z.number().int().nonnegative(),
    updated: z.number().int().nonnegative(),
    unchanged: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative(),
    error: z.number().int().nonnegative(),
  }),
});
export type UploadReport = z.infer<typeof UploadReportSchema>;
