import { z } from 'zod';

/**
 * What a user may do, independent of which object it is done to:
 * - `browse`: list sources, databases, tables, volumes and volume files (metadata only);
 * - `rows`: read rows of a table through the API (`GET /v1/sources/…/rows`);
 * - `files`: download a volume file through the API;
 * - `build`: submit and validate builds, and cancel one's own;
 * - `download`: download a build's archive (one's own, or of users in `builds`);
 * - `admin`: manage users, keys, CI tokens and signing keys, read the audit trail.
 */
export const ACTIONS = ['browse', 'rows', 'files', 'build', 'download', 'admin'] as const;
export type Action = (typeof ACTIONS)[number];

/** A user name: letters, digits, `_`, `.`, `@`, `-` (the same rule as static token users). */
export const UserNameSchema = z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'use 1-64 letters, digits, "_", ".", "@" or "-"');

/** Prefix of the user a CI token acts as (`ci.<token name>`); no registered user may start with it. */
export const CI_USER_PREFIX = 'ci.';

/** A grant pattern. Negation (`!x`) is refused: grants only ever add access. */
const Glob = z
  .string()
  .min(1, 'must not be empty')
  .max(512, 'must be at most 512 characters')
  .refine((p) => !p.startsWith('!'), 'must not start with "!": grants only add access, leave out what is not granted');

/**
 * One grant (of a role, or given to a user directly). Patterns are picomatch globs (`*` stays in
 * one segment, `**` crosses segments, `{a,b}` alternatives); a user's effective access is the union
 * of the grants of all their roles and their own grants.
 */
export const GrantSchema = z
  .object({
    actions: z.array(z.enum(ACTIONS)).default([]),
    /** `<source>/<database>/<table>` patterns: `shop-mysql/shop/*`, `*\/*\/orders`, `**`. */
    tables: z.array(Glob).default([]),
    /** `<volume>:<path>` patterns, path relative to the volume root: `invoices:2024/**`, `*:**`. */
    volumes: z.array(Glob).default([]),
    /** Package names (the template's `package`, or its name) the user may build: `order-*`. */
    packages: z.array(Glob).default([]),
    /** Users whose builds this user may also see and download (own builds always): `ci.*`, `*`. */
    builds: z.array(Glob).default([]),
    /** Users whose stored templates this user may also read (own templates always). */
    templates: z.array(Glob).default([]),
  })
  .strict();
export type Grant = z.infer<typeof GrantSchema>;
/** A grant as written (every list optional). */
export type GrantInput = z.input<typeof GrantSchema>;

/** The role every server has: every action on everything. */
export const ADMIN_ROLE = 'admin';
/** The grant of {@link ADMIN_ROLE}. */
export const ADMIN_GRANT: Grant = {
  actions: [...ACTIONS],
  tables: ['**'],
  volumes: ['**'],
  packages: ['**'],
  builds: ['**'],
  templates: ['**'],
};

export const RoleNameSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'use 1-64 lower-case letters, digits, "_" or "-", starting with a letter');

/**
 * The effective access of one user: their roles, and the union of all grants that apply. Computed
 * by the server (`@hfit/access` evaluates it); never sent by clients.
 */
export interface AccessPolicy {
  readonly user: string;
  readonly roles: readonly string[];
  readonly grant: Grant;
}

/**
 * Looks up a user's current access (roles from the config and the security store, CI tokens by
 * their `ci.<name>` user). Undefined when the user no longer exists (removed, token revoked or
 * expired): such a user may do nothing. The worker asks it again at run time of every job.
 */
export interface PolicyResolver {
  policyFor(user: string): Promise<AccessPolicy | undefined>;
}

/** How a request can be authenticated. */
export const AUTH_METHODS = ['jwt', 'ci-token', 'static-token'] as const;
/** How a request was authenticated. */
export type AuthMethod = (typeof AUTH_METHODS)[number];

/** The authenticated caller of an API request (`req.user`), with their access. */
export interface Principal {
  readonly user: string;
  readonly via: AuthMethod;
  readonly policy: AccessPolicy;
  /** `jti` of a JWT, or id of a CI token (audit; JWT logout). */
  readonly tokenId?: string;
}
