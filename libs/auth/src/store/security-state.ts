import { GrantSchema, PUBLIC_KEY_TYPES } from '@hfit/contracts';
import { z } from 'zod';

const Time = z.iso.datetime();

/** A public key of a stored user: its canonical `authorized_keys` line and what was derived from it. */
export const StoredKeySchema = z.object({
  /** Canonical OpenSSH line (`<type> <base64>[ <comment>]`), whatever form it was registered in. */
  publicKey: z.string(),
  fingerprint: z.string(),
  type: z.enum(PUBLIC_KEY_TYPES),
  bits: z.number().int().positive(),
  comment: z.string().optional(),
  addedAt: Time,
  addedBy: z.string(),
});
export type StoredKey = z.infer<typeof StoredKeySchema>;

/** A user added through the admin API. */
export const StoredUserSchema = z.object({
  name: z.string(),
  roles: z.array(z.string()),
  grants: z.array(GrantSchema),
  keys: z.array(StoredKeySchema),
  createdAt: Time,
  createdBy: z.string(),
});
export type StoredUser = z.infer<typeof StoredUserSchema>;

/** A CI token: its sha256 (hex) of the whole token text, never the token. */
export const StoredCiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: Time,
  createdBy: z.string(),
  expiresAt: Time.optional(),
  revokedAt: Time.optional(),
  revokedBy: z.string().optional(),
});
export type StoredCiToken = z.infer<typeof StoredCiTokenSchema>;

/**
 * A JWT signing key: its private JWK sealed with `auth.signingKeySecret` (`sealed` + `publicJwk`),
 * or, without a secret, in clear (`privateJwk`, `d` included: the document is then as secret as
 * the key).
 */
export const StoredSigningKeySchema = z.object({
  kid: z.string(),
  alg: z.enum(['EdDSA', 'ES256']),
  /** Private JWK (`d` included), when no secret seals it. */
  privateJwk: z.record(z.string(), z.string()).optional(),
  /** The private JWK sealed by `SigningKeySealer`. */
  sealed: z.object({ v: z.literal(1), salt: z.string(), iv: z.string(), tag: z.string(), data: z.string() }).optional(),
  /** Public JWK members (kept beside a sealed key, for the JWKS and verification). */
  publicJwk: z.record(z.string(), z.string()).optional(),
  createdAt: Time,
  /** When a rotation replaced it; absent on the current key. */
  retiredAt: Time.optional(),
  /** Until when it still verifies (`retiredAt` + `auth.signingKeyGraceSeconds`). */
  validUntil: Time.optional(),
});
export type StoredSigningKey = z.infer<typeof StoredSigningKeySchema>;

/**
 * Everything the security store holds. Immutable: a change makes a new state, so the document
 * repository can tell which document changed by identity.
 */
export interface SecurityState {
  readonly users: readonly StoredUser[];
  readonly ciTokens: readonly StoredCiToken[];
  readonly signingKeys: readonly StoredSigningKey[];
}

/** A state with nothing in it (a new server). */
export const EMPTY_SECURITY_STATE: SecurityState = { users: [], ciTokens: [], signingKeys: [] };
