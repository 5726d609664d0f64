import { z } from 'zod';
import { JobFailureSchema } from '../job-failure.js';
import { RowFormatSchema } from '../manifest.js';
import { UserNameSchema } from '../security.js';

/** Archive formats of a package. */
export const ArchiveFormatSchema = z.enum(['tar.gz', 'zip']);
export type ArchiveFormat = z.infer<typeof ArchiveFormatSchema>;

/**
 * How a build spreads over workers:
 * - `source` (default): one child job per source (all its exports read in one snapshot) plus one
 *   for volume files;
 * - `export`: one child job per export, each with its own snapshot: more parallel, but tables of
 *   one source may be read at different moments.
 */
export const BuildConsistencySchema = z.enum(['source', 'export']);
export type BuildConsistency = z.infer<typeof BuildConsistencySchema>;

/** Lifecycle of a build. `succeeded`, `failed` and `cancelled` are final. */
export const BuildStateSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type BuildState = z.infer<typeof BuildStateSchema>;

/** True for the states a build never leaves. */
export function isFinalBuildState(state: BuildState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled';
}

/** Options of a build request. */
export const BuildRequestOptionsSchema = z
  .object({
    format: ArchiveFormatSchema.default('tar.gz'),
    /** Replaces the row format of every table-data export (`copy` only on PostgreSQL sources). */
    rowFormat: RowFormatSchema.optional(),
    consistency: BuildConsistencySchema.default('source'),
  })
  .strict();
export type BuildRequestOptions = z.infer<typeof BuildRequestOptionsSchema>;

/** Name of a template or package: what `templateName` / `packageName` may be. */
export const NameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'use 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit');

/** `POST /v1/builds` body: a template (YAML text) or the name of a stored one, and its arguments. */
export const CreateBuildRequestSchema = z
  .object({
    /** Template YAML text. */
    template: z.string().min(1).max(1024 * 1024).optional(),
    /** Name of a template stored on the server for the caller. */
    templateName: NameSchema.optional(),
    /** Owner of the stored template `templateName` (default: the caller); another user's needs the `templates` grant. */
    templateOwner: UserNameSchema.optional(),
    /** Positional arguments: `$1`, `$2`, … */
    args: z.array(z.string().max(4096)).max(100).default([]),
    /** Named arguments: set the `from: input` variable of that name (instead of its `$N`). */
    namedArgs: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name'), z.string().max(4096)).default({}),
    options: BuildRequestOptionsSchema.default({ format: 'tar.gz', consistency: 'source' }),
  })
  .strict()
  .refine((b) => (b.template === undefined) !== (b.templateName === undefined), {
    message: 'give exactly one of "template" (YAML text) or "templateName" (a stored template)',
    path: ['template'],
  })
  .refine((b) => b.templateOwner === undefined || b.templateName !== undefined, {
    message: 'only applies to a stored template: give "templateName" with it',
    path: ['templateOwner'],
  });
export type CreateBuildRequest = z.infer<typeof CreateBuildRequestSchema>;
export type CreateBuildRequestInput = z.input<typeof CreateBuildRequestSchema>;

/** Progress of one export of a build. */
export const ExportProgressSchema = z.object({
  /** Export key after substitution (the package path, or folder for `files`). */
  name: z.string(),
  type: z.string(),
  state: z.enum(['pending', 'running', 'done', 'failed']),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  durationMs: z.number().int().nonnegative().optional(),
});
export type ExportProgress = z.infer<typeof ExportProgressSchema>;

/** Progress of a build (totals over its exports). */
export const BuildProgressSchema = z.object({
  exportsDone: z.number().int().nonnegative(),
  exportsTotal: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  exports: z.array(ExportProgressSchema),
});
export type BuildProgress = z.infer<typeof BuildProgressSchema>;

/** The archive a succeeded build published. */
export const ArtifactSchema = z.object({
  /** File name offered for download: `<packageName>.<format>`. */
  name: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  format: ArchiveFormatSchema,
});
export type Artifact = z.infer<typeof ArtifactSchema>;

/** Links of a build resource. */
export const BuildLinksSchema = z.object({
  self: z.string(),
  cancel: z.string(),
  artifact: z.string().optional(),
});

/** `GET /v1/builds/:id`. */
export const BuildViewSchema = z.object({
  id: z.string(),
  state: BuildStateSchema,
  templateName: z.string(),
  /** Known once `prepare` ran (packageName may use variables). */
  packageName: z.string().optional(),
  owner: z.string(),
  args: z.array(z.string()),
  namedArgs: z.record(z.string(), z.string()),
  options: BuildRequestOptionsSchema,
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** Set when a cancel was asked for and the build had not finished yet. */
  cancelRequestedAt: z.string().optional(),
  progress: BuildProgressSchema,
  error: JobFailureSchema.optional(),
  artifact: ArtifactSchema.optional(),
  links: BuildLinksSchema,
});
export type BuildView = z.infer<typeof BuildViewSchema>;

/** `202` answer of `POST /v1/builds`. */
export const BuildAcceptedSchema = z.object({
  id: z.string(),
  state: BuildStateSchema,
  links: BuildLinksSchema,
});
export type BuildAccepted = z.infer<typeof BuildAcceptedSchema>;

/** Query of `GET /v1/builds`. */
export const BuildListQuerySchema = z
  .object({
    template: z.string().optional(),
    package: z.string().optional(),
    state: BuildStateSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    /** Opaque cursor from a previous page's `nextCursor`. */
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type BuildListQuery = z.infer<typeof BuildListQuerySchema>;

/** `GET /v1/builds`: newest first. */
export const BuildListSchema = z.object({
  items: z.array(BuildViewSchema),
  nextCursor: z.string().optional(),
});
export type BuildList = z.infer<typeof BuildListSchema>;

/** `POST /v1/builds/validate`: what a submit would build, checked without queueing anything. */
export const BuildValidationSchema = z.object({
  valid: z.literal(true),
  templateName: z.string(),
  /** Highest `$N` the template uses. */
  requiredInputs: z.number().int().nonnegative(),
  /** Positional inputs after named arguments were placed. */
  inputs: z.array(z.string()),
  /** Exports in template order (keys as written, before substitution). */
  exports: z.array(z.object({ key: z.string(), type: z.string() })),
});
export type BuildValidation = z.infer<typeof BuildValidationSchema>;
