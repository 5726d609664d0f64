import { ADMIN_ROLE, CI_USER_PREFIX, GrantSchema, RoleNameSchema, UserNameSchema } from '@hfit/contracts';
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

/** A rate limit: `points` requests per `windowSeconds`. */
export const RateLimitSchema = z
  .object({
    points: integer(z.int().min(1).max(1_000_000)),
    windowSeconds: integer(z.int().min(1).max(86_400)),
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
    /**
     * Origins (`https://ui.example.com`) allowed to call the API from a browser. Empty (default):
     * no CORS headers are sent, so browsers refuse cross-origin calls.
     */
    corsOrigins: z.array(z.url()).default([]),
    /**
     * Express `trust proxy`: `false` (default, the socket address is the client), or the number of
     * proxies in front of the API, whose `X-Forwarded-For` is then believed (audit, rate limits).
     */
    trustProxy: z.union([z.boolean(), integer(z.int().min(0).max(10))]).default(false),
    /** Requests allowed per window, counted in Redis so every API replica shares the budget. */
    rateLimits: z
      .object({
        /** Challenge + token requests per username. */
        loginPerUser: RateLimitSchema.default({ points: 10, windowSeconds: 60 }),
        /** Challenge + token requests per client address. */
        loginPerAddress: RateLimitSchema.default({ points: 30, windowSeconds: 60 }),
        /** Build submissions (and validations) per user. */
        submitPerUser: RateLimitSchema.default({ points: 30, windowSeconds: 60 }),
      })
      .strict()
      .default({ loginPerUser: { points: 10, windowSeconds: 60 }, loginPerAddress: { points: 30, windowSeconds: 60 }, submitPerUser: { points: 30, windowSeconds: 60 } }),
    /** Builds one user may have queued or running at once; more are refused with 429 (0 = no cap). */
    maxConcurrentBuildsPerUser: integer(z.int().min(0).max(10_000)).default(4),
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

/** A static API token: for bootstrapping and tests; CI should use CI tokens (`hfit admin tokens create`). */
export const StaticTokenSchema = z
  .object({
    /** The user the token authenticates as. */
    user: UserNameSchema,
    /** At least 16 characters; keep it in the environment: `token: "${HFIT_TOKEN_ALICE}"`. */
    token: z.string().min(16, 'must be at least 16 characters'),
    /** Roles the user has when authenticated this way (besides any they have in the security store). */
    roles: z.array(RoleNameSchema).default([]),
  })
  .strict();

/** A first admin: exists whatever the security store holds, has the `admin` role, logs in with these keys. */
export const ConfigAdminSchema = z
  .object({
    user: UserNameSchema,
    /** Public keys: OpenSSH `authorized_keys` lines or PEM SPKI. */
    keys: z.array(z.string().min(1)).min(1, 'give at least one public key'),
  })
  .strict();

/** Who may call the API, and what they may do. */
export const AuthConfigSchema = z
  .object({
    /** `iss` of the JWTs the API issues and accepts. */
    issuer: z.string().min(1).default('hfit'),
    /** `aud` of the JWTs; also part of every login challenge. */
    audience: z.string().min(1).default('hfit-api'),
    /** Lifetime of a login token (JWT). */
    tokenTtlSeconds: integer(z.int().min(30).max(86_400)).default(3600),
    /** Lifetime of a login challenge. */
    challengeTtlSeconds: integer(z.int().min(5).max(600)).default(60),
    /** Algorithm of new signing keys. */
    signingAlgorithm: z.enum(['EdDSA', 'ES256']).default('EdDSA'),
    /**
     * Seals the JWT signing keys at rest (AES-256-GCM under a scrypt-derived key): without it they
     * are stored in clear in the object store, and whoever reads it could mint tokens. Keep it in
     * the environment, the same on every API replica: `signingKeySecret: "${HFIT_SIGNING_KEY_SECRET}"`.
     */
    signingKeySecret: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional(),
    /** After a rotation, tokens of the old key stay valid this long (default: `tokenTtlSeconds`). */
    signingKeyGraceSeconds: integer(z.int().min(0).max(30 * 86_400)).optional(),
    admins: z.array(ConfigAdminSchema).default([]),
    /** Roles by name; `admin` is built in (everything) and cannot be redefined. */
    roles: z.record(RoleNameSchema, GrantSchema).default({}),
    tokens: z.array(StaticTokenSchema).default([]),
  })
  .strict();

/** Where the audit trail is written. */
export const AuditConfigSchema = z
  .object({
    /** Folder of the append-only JSON-lines files (relative to the config file). */
    dir: z.string().min(1).default('hfit-audit'),
    /** Events kept in the Redis stream that `GET /v1/admin/audit` reads (files keep everything). */
    streamMaxLen: integer(z.int().min(100).max(100_000_000)).default(1_000_000),
    /** Also record filter texts (always: their sha256). Off by default: filters may hold personal data. */
    recordFilters: z.boolean().default(false),
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
    auth: AuthConfigSchema.default(AuthConfigSchema.parse({})),
    audit: AuditConfigSchema.default(AuditConfigSchema.parse({})),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.auth.tokens.forEach((t, i) => {
      if (seen.has(t.token)) ctx.addIssue({ code: 'custom', path: ['auth', 'tokens', i, 'token'], message: 'is used twice: give every user its own token' });
      seen.add(t.token);
    });
    if (ADMIN_ROLE in cfg.auth.roles) ctx.addIssue({ code: 'custom', path: ['auth', 'roles', ADMIN_ROLE], message: 'is built in (every action on everything): choose another name' });
    const roleKnown = (r: string) => r === ADMIN_ROLE || r in cfg.auth.roles;
    cfg.auth.tokens.forEach((t, i) =>
      t.roles.forEach((r, j) => {
        if (!roleKnown(r)) ctx.addIssue({ code: 'custom', path: ['auth', 'tokens', i, 'roles', j], message: `names role "${r}", which auth.roles does not define` });
      }),
    );
    const admins = new Set<string>();
    cfg.auth.admins.forEach((a, i) => {
      if (admins.has(a.user)) ctx.addIssue({ code: 'custom', path: ['auth', 'admins', i, 'user'], message: 'is listed twice' });
      if (a.user.startsWith(CI_USER_PREFIX)) ctx.addIssue({ code: 'custom', path: ['auth', 'admins', i, 'user'], message: `must not start with "${CI_USER_PREFIX}" (kept for CI tokens)` });
      admins.add(a.user);
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
/** The audit section; `dir` is absolute once loaded. */
export type AuditConfig = z.infer<typeof AuditConfigSchema>;

/** A validated storage section; an fs `root` is absolute once loaded. */
export type StorageConfig = z.infer<typeof StorageConfigSchema>;

/** Default port per source type. */
export const DEFAULT_PORTS: Readonly<Record<SourceConfig['type'], number>> = { mysql: 3306, postgres: 5432 };
