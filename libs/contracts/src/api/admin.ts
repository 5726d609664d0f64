import { z } from 'zod';
import { GrantSchema, RoleNameSchema, UserNameSchema } from '../security.js';

/** Key types accepted for login. */
export const PUBLIC_KEY_TYPES = ['rsa', 'ecdsa', 'ed25519'] as const;

/** One registered public key of a user (the key text itself is not sent back). */
export const PublicKeyViewSchema = z.object({
  /** `SHA256:<base64, no padding>` of the key's SSH wire form, as `ssh-keygen -lf` prints it. */
  fingerprint: z.string(),
  type: z.enum(PUBLIC_KEY_TYPES),
  /** RSA modulus bits or EC curve size (256/384/521); 256 for Ed25519. */
  bits: z.number().int().positive(),
  /** The `authorized_keys` comment, if any. */
  comment: z.string().optional(),
  addedAt: z.iso.datetime(),
});
export type PublicKeyView = z.infer<typeof PublicKeyViewSchema>;

/** A user as admins see it. */
export const UserViewSchema = z.object({
  name: UserNameSchema,
  roles: z.array(z.string()),
  grants: z.array(GrantSchema),
  keys: z.array(PublicKeyViewSchema),
  /** `config`: an admin of the server config (cannot be changed through the API); `store`: added by an admin. */
  origin: z.enum(['config', 'store']),
  createdAt: z.iso.datetime().optional(),
  createdBy: z.string().optional(),
});
export type UserView = z.infer<typeof UserViewSchema>;

export const UserListSchema = z.object({ items: z.array(UserViewSchema) });
export type UserList = z.infer<typeof UserListSchema>;

/** A public key as text: OpenSSH `authorized_keys` line (`ssh-ed25519 AAAA… comment`) or PEM SPKI. */
export const PublicKeyTextSchema = z.string().min(1).max(16_384);

/** `POST /v1/admin/users` body. */
export const CreateUserRequestSchema = z
  .object({
    name: UserNameSchema,
    roles: z.array(RoleNameSchema).default([]),
    grants: z.array(GrantSchema).default([]),
    keys: z.array(PublicKeyTextSchema).default([]),
  })
  .strict();
export type CreateUserRequest = z.input<typeof CreateUserRequestSchema>;

/** `PATCH /v1/admin/users/:name` body: replaces the lists given. */
export const UpdateUserRequestSchema = z
  .object({
    roles: z.array(RoleNameSchema).optional(),
    grants: z.array(GrantSchema).optional(),
  })
  .strict();
export type UpdateUserRequest = z.input<typeof UpdateUserRequestSchema>;

/** `POST /v1/admin/users/:name/keys` body. */
export const AddKeyRequestSchema = z.object({ publicKey: PublicKeyTextSchema }).strict();
export type AddKeyRequest = z.infer<typeof AddKeyRequestSchema>;

/** A CI/service token as listed (never its secret, never its hash). */
export const CiTokenViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The user the token acts as: `ci.<name>`. */
  user: z.string(),
  role: z.string(),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  expiresAt: z.iso.datetime().optional(),
  revokedAt: z.iso.datetime().optional(),
  revokedBy: z.string().optional(),
  /** `active`, `expired` or `revoked`. */
  status: z.enum(['active', 'expired', 'revoked']),
});
export type CiTokenView = z.infer<typeof CiTokenViewSchema>;

export const CiTokenListSchema = z.object({ items: z.array(CiTokenViewSchema) });
export type CiTokenList = z.infer<typeof CiTokenListSchema>;

/** `POST /v1/admin/tokens` body. */
export const CreateCiTokenRequestSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use 1-63 lower-case letters, digits, "_" or "-"'),
    role: RoleNameSchema,
    /** Expiry, ISO 8601; absent: the token does not expire (revoke it when done). */
    expiresAt: z.iso.datetime().optional(),
  })
  .strict();
export type CreateCiTokenRequest = z.infer<typeof CreateCiTokenRequestSchema>;

/** `POST /v1/admin/tokens` answer: the only time the secret is shown. */
export const CreatedCiTokenSchema = CiTokenViewSchema.extend({ token: z.string() });
export type CreatedCiToken = z.infer<typeof CreatedCiTokenSchema>;

/** One JWT signing key. */
export const SigningKeyViewSchema = z.object({
  kid: z.string(),
  alg: z.enum(['EdDSA', 'ES256']),
  createdAt: z.iso.datetime(),
  /** `current` signs new tokens; `grace` only verifies, until `validUntil`. */
  status: z.enum(['current', 'grace']),
  retiredAt: z.iso.datetime().optional(),
  validUntil: z.iso.datetime().optional(),
});
export type SigningKeyView = z.infer<typeof SigningKeyViewSchema>;

/** `POST /v1/admin/signing-keys/rotate` answer and `GET /v1/admin/signing-keys`. */
export const SigningKeyListSchema = z.object({ items: z.array(SigningKeyViewSchema) });
export type SigningKeyList = z.infer<typeof SigningKeyListSchema>;
