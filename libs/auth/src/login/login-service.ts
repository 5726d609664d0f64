import { generateKeyPairSync } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChallengeResponse, TokenRequest, TokenResponse } from '@hfit/contracts';
import type { ChallengeStore } from '../challenges/challenge-store.js';
import type { LoginTokens } from '../jwt/login-tokens.js';
import type { LoginKey } from '../keys/login-key.js';
import { loginKeyOf } from '../keys/login-key-of.js';
import { decodeSignature, verifyKeySignature } from '../keys/verify-key-signature.js';
import type { UserDirectory } from '../users/user-directory.js';

/** Options of {@link LoginService}. */
export interface LoginServiceOptions {
  readonly challenges: ChallengeStore;
  readonly users: UserDirectory;
  readonly tokens: LoginTokens;
  /**
   * A failed login answers no sooner than this many ms after it started (default
   * {@link DEFAULT_MIN_FAILURE_MS}), so its timing does not tell which check failed: a P-521 or
   * RSA-4096 key takes longer to check than a decoy, a malformed signature less.
   */
  readonly minFailureMs?: number;
}

/** Default of {@link LoginServiceOptions.minFailureMs}: well above the slowest single-key check (ECDSA P-521, ~1 ms). */
export const DEFAULT_MIN_FAILURE_MS = 25;

/** Why a login failed: for the audit trail only, never for the client (who gets one answer for all). */
export type LoginFailure = 'challenge' | 'unknown-user' | 'signature';

/** The outcome of {@link LoginService.login}. */
export type LoginOutcome =
  | { readonly ok: true; readonly token: TokenResponse; readonly jti: string; readonly fingerprint: string }
  | { readonly ok: false; readonly reason: LoginFailure };

/**
 * Key-pair login: a challenge for a username, then a JWT for the signature of that challenge by
 * one of the user's registered keys. Every failure has the same outcome for the caller, and takes
 * the same time: the challenge is consumed (so a wrong signature burns it), the signature is
 * checked against every key of the user (or a decoy key when the user does not exist), and the
 * answer waits until `minFailureMs` have passed.
 */
export class LoginService {
  /** Checked against when the user is unknown, so an unknown user costs a signature check too. */
  private readonly decoy: readonly LoginKey[] = [loginKeyOf(generateKeyPairSync('ed25519').publicKey)];

  constructor(private readonly options: LoginServiceOptions) {}

  /** `POST /v1/auth/challenge`: the same kind of answer for every well-formed username. */
  challenge(username: string): Promise<ChallengeResponse> {
    return this.options.challenges.issue(username);
  }

  /** `POST /v1/auth/token`. */
  async login(request: TokenRequest): Promise<LoginOutcome> {
    const started = performance.now();
    const outcome = await this.attempt(request);
    if (!outcome.ok) await sleep(Math.max(0, (this.options.minFailureMs ?? DEFAULT_MIN_FAILURE_MS) - (performance.now() - started)));
    return outcome;
  }

  private async attempt(request: TokenRequest): Promise<LoginOutcome> {
    const consumed = await this.options.challenges.consume(request.username, request.challenge);
    const keys = await this.options.users.loginKeys(request.username);
    const data = Buffer.from(request.challenge, 'utf8');
    const signature = decodeSignature(request.signature) ?? Buffer.alloc(0);
    let matched: LoginKey | undefined;
    // No early exit: every key is tried, whichever matches.
    for (const key of keys === undefined || keys.length === 0 ? this.decoy : keys) {
      if (verifyKeySignature(key, data, signature) && matched === undefined) matched = key;
    }
    if (!consumed) return { ok: false, reason: 'challenge' };
    if (keys === undefined) return { ok: false, reason: 'unknown-user' };
    if (matched === undefined || !keys.includes(matched)) return { ok: false, reason: 'signature' };
    const { jti, ...token } = await this.options.tokens.issue(request.username);
    return { ok: true, token, jti, fingerprint: matched.fingerprint };
  }
}
