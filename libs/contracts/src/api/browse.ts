import { z } from 'zod';

/** Rows a preview returns when the request gives no `limit`. */
export const PREVIEW_DEFAULT_LIMIT = 100;

/** Most rows one preview may ask for; more is a `REQUEST_INVALID` error. */
export const PREVIEW_MAX_LIMIT = 10_000;

/** Kinds of database server a source may be. */
export const SourceTypeSchema = z.enum(['mysql', 'postgres']);

/**
 * One configured source as `GET /v1/sources` lists it. Never holds host, port, user or password:
 * those are server internals.
 */
export const SourceInfoSchema = z.object({
  name: z.string(),
  type: SourceTypeSchema,
});
export type SourceInfo = z.infer<typeof SourceInfoSchema>;

/** `GET /v1/sources`: in configuration order. */
export const SourceListSchema = z.array(SourceInfoSchema);
export type SourceList = z.infer<typeof SourceListSchema>;

/**
 * `GET /v1/sources/:source/databases`: the databases (MySQL/MariaDB) or schemas (PostgreSQL) of a
 * source that hfit may read, sorted by name. Templates name tables `database.table` in both cases.
 */
export const DatabaseListSchema = z.array(z.string());
export type DatabaseList = z.infer<typeof DatabaseListSchema>;

/** One column of a table. */
export const TableColumnSchema = z.object({
  name: z.string(),
  /** The declared type as the server prints it: `varchar(20)`, `decimal(10,2) unsigned`, `character varying(20)`. */
  type: z.string(),
  nullable: z.boolean(),
});
export type TableColumn = z.infer<typeof TableColumnSchema>;

/** A foreign key: `columns` of this table reference `refColumns` of `refDatabase.refTable`, pairwise. */
export const ForeignKeySchema = z.object({
  name: z.string(),
  columns: z.array(z.string()),
  refDatabase: z.string(),
  refTable: z.string(),
  refColumns: z.array(z.string()),
});
export type ForeignKey = z.infer<typeof ForeignKeySchema>;

/** One table of a database: its columns in order, its primary key (empty when none), its foreign keys. */
export const TableInfoSchema = z.object({
  name: z.string(),
  columns: z.array(TableColumnSchema),
  primaryKey: z.array(z.string()),
  foreignKeys: z.array(ForeignKeySchema),
});
export type TableInfo = z.infer<typeof TableInfoSchema>;

/** `GET /v1/sources/:source/databases/:database/tables`: base tables sorted by name. */
export const TableListSchema = z.array(TableInfoSchema);
export type TableList = z.infer<typeof TableListSchema>;

/** Answer formats of a rows preview; `Accept: application/x-ndjson` asks for `ndjson` too. */
export const RowsPreviewFormatSchema = z.enum(['json', 'ndjson']);
export type RowsPreviewFormat = z.infer<typeof RowsPreviewFormatSchema>;

/** Query of `GET /v1/sources/:source/databases/:database/tables/:table/rows`. */
export const RowsPreviewQuerySchema = z
  .object({
    /**
     * Row filter in the template syntax (`key<34 AND key>12`, `WHERE` optional): columns of this
     * table, constants, comparisons, AND/OR/NOT, IN, BETWEEN, LIKE, IS NULL and a few functions.
     */
    filter: z.string().max(10_000).optional().describe('SQL condition on the columns of the table, e.g. id > 10 AND name LIKE \'a%\''),
    /** Rows to return, first ones in primary-key order. */
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(PREVIEW_MAX_LIMIT)
      .default(PREVIEW_DEFAULT_LIMIT)
      .describe(`rows to return, 1-${PREVIEW_MAX_LIMIT} (default ${PREVIEW_DEFAULT_LIMIT}), first ones in primary-key order`),
    format: RowsPreviewFormatSchema.optional().describe('json (default) or ndjson; the Accept header may choose too'),
  })
  .strict();
export type RowsPreviewQuery = z.infer<typeof RowsPreviewQuerySchema>;

/**
 * One value of a previewed row: the server's text form (numbers, dates and JSON documents as
 * strings, exactly as printed, so no precision is lost), `null` for SQL NULL, and binary values as
 * `{"$binary": "<base64>"}` — the same convention as hfit's NDJSON row exports.
 */
export const RowValueSchema = z.union([z.string(), z.null(), z.object({ $binary: z.string() }).strict()]);
export type RowValue = z.infer<typeof RowValueSchema>;

/** One previewed row: column name -> value, in column order. One NDJSON line in the `ndjson` format. */
export const PreviewRowSchema = z.record(z.string(), RowValueSchema);
export type PreviewRow = z.infer<typeof PreviewRowSchema>;

/**
 * `json` answer of a rows preview. `columns` lists the stored columns in table order (generated
 * columns are not read); every row has exactly these keys.
 */
export const RowsPreviewSchema = z.object({
  columns: z.array(TableColumnSchema),
  rows: z.array(PreviewRowSchema),
});
export type RowsPreview = z.infer<typeof RowsPreviewSchema>;

/** One configured volume; its root directory is a server internal and never shown. */
export const VolumeInfoSchema = z.object({
  name: z.string(),
});
export type VolumeInfo = z.infer<typeof VolumeInfoSchema>;

/** `GET /v1/volumes`: in configuration order. */
export const VolumeListSchema = z.array(VolumeInfoSchema);
export type VolumeList = z.infer<typeof VolumeListSchema>;

/** One entry of a volume listing (one NDJSON line of `GET /v1/volumes/:volume/files`). */
export const FileEntrySchema = z.object({
  /** Base name. */
  name: z.string(),
  /** Path relative to the volume root, `/`-separated: what a download or a template `file` export takes. */
  path: z.string(),
  /** Bytes; 0 for directories. */
  size: z.number().int().nonnegative(),
  /** Last modification, ISO 8601 UTC (`2024-05-01T12:00:00.000Z`). */
  modtime: z.iso.datetime(),
  isdir: z.boolean(),
});
export type FileEntry = z.infer<typeof FileEntrySchema>;

/**
 * Query of the volume listing and "best file" endpoints: `filter` may repeat
 * (`?filter=name:*.csv&filter=size:>1k`); every filter must hold. Forms:
 * `name:<glob>` (base name), `mtime:<days>` (positive: modified within that many days; negative:
 * older), `size:>N`, `size:<N`, `size:>=N`, `size:<=N`, `size:N` (bytes, optional k/M/G suffix,
 * 1024-based), `sort:<mtime|size|name>[:asc|desc]`, `path:<folder>` (start below the root).
 */
export const FileQuerySchema = z
  .object({
    filter: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((f) => (f === undefined ? [] : typeof f === 'string' ? [f] : f))
      .pipe(z.array(z.string().min(1).max(4096)).max(100))
      .describe('repeatable: name:<glob>, mtime:<±days>, size:[<|>|<=|>=]N[k|M|G], sort:<mtime|size|name>[:asc|desc], path:<folder>'),
  })
  .strict();
export type FileQuery = z.infer<typeof FileQuerySchema>;
export type FileQueryInput = z.input<typeof FileQuerySchema>;

/** Query of the single-file download endpoint: the file's path relative to the volume root. */
export const FileDownloadQuerySchema = z
  .object({
    path: z.string().min(1).max(4096).describe('path relative to the volume root, `/`-separated, no `..`'),
  })
  .strict();
export type FileDownloadQuery = z.infer<typeof FileDownloadQuerySchema>;
