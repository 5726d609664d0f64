import { randomUUID } from 'node:crypto';
import type { TokenResponse } from '@hfit/contracts';
import type { SigningKeys } from '../signing/signing-keys.js';
import type { JwtClaims } from './jwt-claims.js';
import { signJwt } from './sign-jwt.js';
import type { TokenDenyList } from './token-deny-list.js';
import { verifyJwt } from './verify-jwt.js';

/** Options of {@link LoginTokens}. */
export interface LoginTokensOptions {
  readonly signingKeys: SigningKeys;
  readonly denyList: TokenDenyList;
  /** `auth.issuer`. */
  readonly issuer: string;
  /** `auth.audience`. */
  readonly audience: string;
  /** `auth.tokenTtlSeconds`. */
  readonly ttlSeconds: number;
  /** Clock skew allowed (default 5 s, at most 30). */
  readonly toleranceSeconds?: number;
  /**
   * When the stored user `sub` was created (ISO), or `undefined` for other users: a token issued
   * before that belonged to an earlier user of the same name, and is refused.
   */
  readonly userCreatedAt: (user: string) => Promise<string | undefined>;
  readonly now?: () => number;
}

/** A login token that verified, with its claims. */
export interface VerifiedLoginToken {
  readonly user: string;
  readonly jti: string;
  readonly claims: JwtClaims;
}

/** Cheap shape test: three base64url segments (a JWS), as opposed to a CI or static token. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

/**
 * Short-lived login tokens (JWT): issued after a key-pair login, signed with the current signing
 * key, verified against the key their `kid` names (current or in grace) with that key's algorithm,
 * and revocable by logout (deny-list until `exp`); all are refused after a Redis loss (see
 * {@link TokenDenyList}).
 */
export class LoginTokens {
  private readonly now: () => number;

  constructor(private readonly options: LoginTokensOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A new token for `user`. */
  async issue(user: string): Promise<TokenResponse & { readonly jti: string }> {
    const signer = await this.options.signingKeys.signer();
    const iat = Math.floor(this.now() / 1000);
    // Set here on a new server or after a Redis loss.
    const gen = await this.options.denyList.generation();
    const exp = iat + this.options.ttlSeconds;
    const jti = randomUUID();
    const token = await signJwt({ iss: this.options.issuer, aud: this.options.audience, sub: user, iat, exp, jti, gen }, signer);
    return { token, tokenType: 'Bearer', expiresAt: new Date(exp * 1000).toISOString(), expiresIn: exp - iat, user, jti };
  }

  /**
   * The token's user and claims, or `undefined` when it does not verify, expired, was logged out,
   * is of an earlier token generation (a Redis loss), or predates its (re-created) user. Never
   * throws for a bad token (only for Redis trouble).
   */
  async verify(token: string): Promise<VerifiedLoginToken | undefined> {
    if (!looksLikeJwt(token)) return undefined;
    const claims = await verifyJwt(token, {
      issuer: this.options.issuer,
      audience: this.options.audience,
      keyFor: (kid) => this.options.signingKeys.verifier(kid),
      now: this.now(),
      toleranceSeconds: this.options.toleranceSeconds ?? 5,
    });
    if (claims === undefined) return undefined;
    if (await this.options.denyList.refuses(claims.jti, claims.gen)) return undefined;
    const createdAt = await this.options.userCreatedAt(claims.sub);
    if (createdAt !== undefined && claims.iat < Math.floor(Date.parse(createdAt) / 1000)) return undefined;
    return { user: claims.sub, jti: claims.jti, claims };
  }

  /** Logs a token out: it is refused from now until it expires. Answers what was revoked, or `undefined` for a token that does not verify. */
  async revoke(token: string): Promise<VerifiedLoginToken | undefined> {
    const verified = await this.verify(token);
    if (verified !== undefined) await this.options.denyList.deny(verified.jti, verified.claims.exp + (this.options.toleranceSeconds ?? 5));
    return verified;
  }
}
