import { z } from 'zod';
import { UserNameSchema } from '../security.js';

/** `POST /v1/auth/challenge` body. */
export const ChallengeRequestSchema = z.object({ username: UserNameSchema }).strict();
export type ChallengeRequest = z.infer<typeof ChallengeRequestSchema>;

/**
 * `POST /v1/auth/challenge` answer (the same shape for every username, known or not). `challenge`
 * is the exact text to sign (UTF-8 bytes): `hfit-login-v1:<audience>:<username>:<random>`. It can be
 * used once, by that username, until `expiresAt`.
 */
export const ChallengeResponseSchema = z.object({
  challenge: z.string(),
  expiresAt: z.iso.datetime(),
});
export type ChallengeResponse = z.infer<typeof ChallengeResponseSchema>;

/**
 * `POST /v1/auth/token` body. `signature` is base64 (or base64url) of the signature of the
 * challenge's UTF-8 bytes: RSA PKCS#1 v1.5 with SHA-256, ECDSA with SHA-256 (DER, or IEEE P1363
 * r||s), or Ed25519 (pure).
 */
export const TokenRequestSchema = z
  .object({
    username: UserNameSchema,
    challenge: z.string().min(1).max(512),
    signature: z.string().min(1).max(4096),
  })
  .strict();
export type TokenRequest = z.infer<typeof TokenRequestSchema>;

/** `POST /v1/auth/token` answer: a short-lived JWT for `Authorization: Bearer`. */
export const TokenResponseSchema = z.object({
  token: z.string(),
  tokenType: z.literal('Bearer'),
  expiresAt: z.iso.datetime(),
  /** Seconds until `expiresAt`. */
  expiresIn: z.number().int().positive(),
  user: z.string(),
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

/** One public key of `GET /.well-known/jwks.json` (RFC 7517), with `kid`, `alg` and `use: sig`. */
export const JwkSchema = z
  .object({
    kty: z.string(),
    kid: z.string(),
    alg: z.string(),
    use: z.literal('sig'),
    crv: z.string().optional(),
    x: z.string().optional(),
    y: z.string().optional(),
  })
  .loose();
export const JwksSchema = z.object({ keys: z.array(JwkSchema) });
export type Jwks = z.infer<typeof JwksSchema>;
