import { z } from 'zod';

const name = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/, 'use letters, digits, "_" or "-", starting with a letter');

/** A database server hfit may read from. */
export const SourceConfigSchema = z
  .object({
    type: z.enum(['mysql', 'postgres']),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(1).max(65535).optional(),
    user: z.string().min(1),
    password: z.string().default(''),
    /**
     * Databases (MySQL) or `database.schema`/schemas (PostgreSQL) that templates may read. Empty = all
     * non-system ones. For PostgreSQL, `database` is the database connected to and these are schemas.
     */
    databases: z.array(z.string().min(1)).default([]),
    /** PostgreSQL: the database to connect to. */
    database: z.string().min(1).optional(),
    /** Per-statement timeout applied to every extraction session. */
    statementTimeoutMs: z.number().int().positive().default(300_000),
    /** Connections in the pool. */
    poolSize: z.number().int().min(1).max(64).default(4),
  })
  .strict();
export type SourceConfigInput = z.input<typeof SourceConfigSchema>;

/** A directory tree whose files templates may copy. */
export const VolumeConfigSchema = z
  .object({
    root: z.string().min(1),
    /** `confine`: symlinks are followed only when their target stays under the root. */
    symlinks: z.enum(['confine', 'deny']).default('confine'),
  })
  .strict();

/** Extraction defaults. */
export const ExtractionConfigSchema = z
  .object({
    /** Rows per multi-row INSERT. */
    batchSize: z.number().int().min(1).max(100_000).default(1000),
  })
  .strict();

/** The whole server configuration file. Later issues add storage, queue, auth and masking. */
export const ServerConfigSchema = z
  .object({
    sources: z.record(name, SourceConfigSchema).default({}),
    volumes: z.record(name, VolumeConfigSchema).default({}),
    extraction: ExtractionConfigSchema.default({ batchSize: 1000 }),
  })
  .strict();

export type ServerConfig = z.infer<typeof ServerConfigSchema>;
/** A validated source, with its name. */
export type SourceConfig = z.infer<typeof SourceConfigSchema> & { readonly name: string };
/** A validated volume, with its name. */
export type VolumeConfig = z.infer<typeof VolumeConfigSchema> & { readonly name: string };
