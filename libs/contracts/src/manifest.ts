import { z } from 'zod';

/** Where a resolved `prepare` variable came from. */
export const VariableSourceSchema = z.enum(['input', 'dbquery', 'volume']);

/** One resolved `prepare` variable, in the order the steps ran. */
export const ResolvedVariableSchema = z.object({
  variable: z.string(),
  value: z.string(),
  source: VariableSourceSchema,
  /** What produced it: `$2`, `dbms_mysql1`, `vol1:*_12_*.txt`. */
  origin: z.string(),
});
export type ResolvedVariable = z.infer<typeof ResolvedVariableSchema>;

/** Row output formats of a table-data export. */
export const RowFormatSchema = z.enum(['sql', 'copy', 'csv', 'ndjson']);
export type RowFormat = z.infer<typeof RowFormatSchema>;

/** Export types of template format v1 (plus `files`, ours). */
export const ExportTypeSchema = z.enum(['dbcreate', 'table-create', 'table-data', 'file', 'files']);
export type ExportType = z.infer<typeof ExportTypeSchema>;

/** One file written into the package folder. */
export const ManifestFileSchema = z.object({
  /** Path inside the package folder, `/`-separated. */
  path: z.string(),
  /** The export key that produced it. */
  export: z.string(),
  type: ExportTypeSchema,
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Rows written (table-data only). */
  rows: z.number().int().nonnegative().optional(),
  /** Tables covered (DDL and data exports), as `db.table`. */
  tables: z.array(z.string()).optional(),
  /** Source name (database exports) or volume name (file exports). */
  source: z.string().optional(),
  format: RowFormatSchema.optional(),
});
export type ManifestFile = z.infer<typeof ManifestFileSchema>;

/** What a source looked like when it was read. */
export const ManifestSourceSchema = z.object({
  name: z.string(),
  type: z.enum(['mysql', 'postgres']),
  serverVersion: z.string(),
  /** `snapshot`: all reads of this build from the source saw one consistent snapshot. */
  consistency: z.enum(['snapshot', 'per-statement']),
});

/**
 * `METADATA/manifest.json`: everything needed to know what a package holds and how it was made.
 * Timing fields are kept apart (`timings`) so that consumers that want a byte-identical archive can
 * drop them.
 */
export const ManifestSchema = z.object({
  manifestVersion: z.literal(1),
  hfitVersion: z.literal(1),
  templateName: z.string(),
  projectName: z.string().optional(),
  packageName: z.string(),
  /** The template exactly as submitted. */
  templateText: z.string(),
  inputs: z.array(z.string()),
  variables: z.array(ResolvedVariableSchema),
  sources: z.array(ManifestSourceSchema),
  files: z.array(ManifestFileSchema),
  totals: z.object({ files: z.number().int(), bytes: z.number().int(), rows: z.number().int() }),
  /**
   * The archive the package was published as (packages built by the worker). The build id is not
   * here: it would make two builds of the same data differ; it is in the build record stored
   * beside the archive.
   */
  archive: z.object({ format: z.enum(['tar.gz', 'zip']) }).optional(),
  /**
   * Wall-clock facts: the only part of a manifest that differs between two builds of the same data.
   * Absent from archived manifests (kept in the build record instead), so that the same template and
   * data give a byte-identical archive.
   */
  timings: z.object({
    startedAt: z.string(),
    finishedAt: z.string(),
    durationMs: z.number(),
    /** Per export key, milliseconds. */
    exports: z.record(z.string(), z.number()),
  }).optional(),
});
export type Manifest = z.infer<typeof ManifestSchema>;
