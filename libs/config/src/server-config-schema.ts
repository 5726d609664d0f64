import { z } from 'zod';

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

/**
 * A map of named entries. Names are checked in a refinement rather than as the record's key schema
 * so that an entry with a bad name still has its fields validated (every problem reported at once).
 */
function named<T extends z.ZodType>(schema: T) {
  return z.record(z.string(), schema).superRefine(
    (rec, ctx) => {
      for (const key of Object.keys(rec)) {
        if (!NAME.test(key)) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'is not a valid name: use up to 63 letters, digits, "_" or "-", starting with a letter',
          });
        }
      }
    },
    // Run even when an entry's fields failed, so bad names and bad fields are reported together.
    { when: (payload) => payload.value !== null && typeof payload.value === 'object' && !Array.isArray(payload.value) },
  );
}

/**
 * An integer that may also be written as a string of digits, so that `${ENV_VAR}` (always a
 * string after interpolation) can fill numeric fields.
 */
function integer(schema: z.ZodInt) {
  return z.preprocess((v) => (typeof v === 'string' && /^[0-9]+$/.test(v) ? Number(v) : v), schema);
}

/** A database server hfit may read from. */
export const SourceConfigSchema = z
  .object({
    type: z.enum(['mysql', 'postgres']),
    host: z.string().min(1).default('127.0.0.1'),
    /** Default 3306 (mysql) or 5432 (postgres); the loaded {@link SourceConfig} always has one. */
    port: integer(z.int().min(1).max(65535)).optional(),
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
    statementTimeoutMs: integer(z.int().positive()).default(300_000),
    /**
     * Timeout of one table's row-streaming statement. Separate from `statementTimeoutMs` because the
     * server counts the time a large export spends waiting for a slow consumer (compression, upload).
     */
    rowsTimeoutMs: integer(z.int().positive()).default(3_600_000),
    /** Connections in the pool. */
    poolSize: integer(z.int().min(1).max(64)).default(4),
  })
  .strict();
export type SourceConfigInput = z.input<typeof SourceConfigSchema>;

/** A directory tree whose files templates may copy. */
export const VolumeConfigSchema = z
  .object({
    /** Relative roots are resolved against the config file's directory when loaded. */
    root: z.string().min(1),
    /** `confine`: symlinks are followed only when their target stays under the root. */
    symlinks: z.enum(['confine', 'deny']).default('confine'),
  })
  .strict();

/** Extraction defaults. */
export const ExtractionConfigSchema = z
  .object({
    /** Rows per multi-row INSERT. */
    batchSize: integer(z.int().min(1).max(100_000)).default(1000),
  })
  .strict();

/** How many finished packages to keep; unset = keep all. Applied by the build platform. */
export const RetentionConfigSchema = z
  .object({
    /** Newest builds kept per package name. */
    keepLast: integer(z.int().min(1)).optional(),
    /** Builds older than this many days are removed. */
    maxAgeDays: integer(z.int().min(1)).optional(),
  })
  .strict();

/** Where finished packages are stored: a local directory (default) or an S3-compatible bucket. */
export const StorageConfigSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('fs'),
      /** Relative roots are resolved against the config file's directory when loaded. */
      root: z.string().min(1),
      retention: RetentionConfigSchema.default({}),
    })
    .strict(),
  z
    .object({
      type: z.literal('s3'),
      bucket: z.string().min(3).max(63),
      /** Key prefix inside the bucket (no leading "/"). */
      prefix: z.string().regex(/^(?!\/)[^\\\0]*$/, 'must not start with "/" or contain backslashes').optional(),
      region: z.string().min(1).default('us-east-1'),
      /** Any S3-compatible endpoint (MinIO, Ceph, R2…); unset = AWS. */
      endpoint: z.url().optional(),
      forcePathStyle: z.boolean().default(false),
      /** Unset = the AWS SDK's default credential chain (environment, profile, instance role). */
      credentials: z
        .object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1), sessionToken: z.string().min(1).optional() })
        .strict()
        .optional(),
      /** Multipart part size in bytes (S3 minimum 5 MiB). */
      partSize: integer(z.int().min(5 * 1024 * 1024)).optional(),
      retention: RetentionConfigSchema.default({}),
    })
    .strict(),
]);

/** The Redis server that carries the build queue and live build state. */
export const RedisConfigSchema = z
  .object({
    /** `redis://[user:password@]host:port[/db]` or `rediss://` for TLS. */
    url: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').default('redis://127.0.0.1:6379'),
    /** Prefix of every key hfit writes (queues, build records), so several deployments can share a server. */
    prefix: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'use 1-80 letters, digits, "_" or "-"').default('hfit'),
  })
  .strict();

/** The HTTP API (`hfitd`). */
export const ApiConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: integer(z.int().min(0).max(65535)).default(8080),
    /** Largest JSON or YAML request body, in bytes (template uploads use `uploadLimitBytes`). */
    bodyLimitBytes: integer(z.int().min(1024)).default(1024 * 1024),
    /** Largest bulk template upload (.tar.gz), in bytes. */
    uploadLimitBytes: integer(z.int().min(1024)).default(10 * 1024 * 1024),
    /** With S3 storage: answer artifact downloads with a redirect to a presigned URL valid this long (0 = stream through the API). */
    presignSeconds: integer(z.int().min(0).max(7 * 24 * 3600)).default(0),
  })
  .strict();

/** Worker processes (`apps/worker`). See `@hfit/queue` WorkerSettings for what each tunable does. */
export const WorkerConfigSchema = z
  .object({
    /** Build (parent) jobs one worker process runs at once. */
    concurrency: integer(z.int().min(1).max(64)).default(1),
    /** Export (child) jobs one worker process runs at once. */
    exportConcurrency: integer(z.int().min(1).max(64)).default(2),
    lockDurationMs: integer(z.int().min(1000)).default(30_000),
    stalledIntervalMs: integer(z.int().min(100)).default(15_000),
    maxStalledCount: integer(z.int().min(0)).default(1),
    /** Attempts per job (first run included) for transient failures; backoff doubles from `backoffMs`. */
    attempts: integer(z.int().min(1).max(20)).default(3),
    backoffMs: integer(z.int().min(10)).default(1000),
    /** On SIGTERM, how long running jobs get to finish before they are released to other workers. */
    shutdownTimeoutMs: integer(z.int().min(100)).default(30_000),
    /** How often retention and staging cleanup run. */
    maintenanceIntervalMs: integer(z.int().min(1000)).default(3_600_000),
    /** Staging data of a build older than this, with no build running, is removed by maintenance. */
    stagingMaxAgeMs: integer(z.int().min(1000)).default(24 * 3_600_000),
  })
  .strict();

/** A static API token (until key-pair login and CI tokens arrive). */
export const StaticTokenSchema = z
  .object({
    /** The user the token authenticates as. */
    user: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'use 1-64 letters, digits, "_", ".", "@" or "-"'),
    /** At least 16 characters; keep it in the environment: `token: "${HFIT_TOKEN_ALICE}"`. */
    token: z.string().min(16, 'must be at least 16 characters'),
  })
  .strict();

/** Who may call the API. */
export const AuthConfigSchema = z
  .object({
    tokens: z.array(StaticTokenSchema).default([]),
  })
  .strict();

/** The whole server configuration file. Later issues add masking and ACL. */
export const ServerConfigSchema = z
  .object({
    sources: named(SourceConfigSchema).default({}),
    volumes: named(VolumeConfigSchema).default({}),
    extraction: ExtractionConfigSchema.default({ batchSize: 1000 }),
    /** Default: a `hfit-storage` directory beside the config file. */
    storage: StorageConfigSchema.default({ type: 'fs', root: 'hfit-storage', retention: {} }),
    redis: RedisConfigSchema.default({ url: 'redis://127.0.0.1:6379', prefix: 'hfit' }),
    api: ApiConfigSchema.default(ApiConfigSchema.parse({})),
    worker: WorkerConfigSchema.default(WorkerConfigSchema.parse({})),
    auth: AuthConfigSchema.default({ tokens: [] }),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.auth.tokens.forEach((t, i) => {
      if (seen.has(t.token)) ctx.addIssue({ code: 'custom', path: ['auth', 'tokens', i, 'token'], message: 'is used twice: give every user its own token' });
      seen.add(t.token);
    });
  });

export type ServerConfig = z.infer<typeof ServerConfigSchema>;
/** A validated source, with its name and its port (defaulted per type). */
export type SourceConfig = Omit<z.infer<typeof SourceConfigSchema>, 'port'> & {
  readonly name: string;
  readonly port: number;
};
/** A validated volume, with its name; `root` is absolute once loaded. */
export type VolumeConfig = z.infer<typeof VolumeConfigSchema> & { readonly name: string };

export type RedisConfig = z.infer<typeof RedisConfigSchema>;
export type ApiConfig = z.infer<typeof ApiConfigSchema>;
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;
export type AuthConfig = z.infer<typeof AuthConfigSchema>;

/** A validated storage section; an fs `root` is absolute once loaded. */
export type StorageConfig = z.infer<typeof StorageConfigSchema>;

/** Default port per source type. */
export const DEFAULT_PORTS: Readonly<Record<SourceConfig['type'], number>> = { mysql: 3306, postgres: 5432 };
