import { timingSafeEqual } from 'node:crypto';
import { CI_USER_PREFIX, HfitError } from '@hfit/contracts';
import type { CiTokenView, CreatedCiToken, Grant } from '@hfit/contracts';
import { requireKnownRoles } from '../roles/require-known-roles.js';
import type { StoredCiToken } from '../store/security-state.js';
import type { SecurityStore } from '../store/security-store.js';
import { ciTokenDigest, ciTokenIdOf, newCiToken } from './ci-token-text.js';

/** Options of {@link CiTokens}. */
export interface CiTokensOptions {
  readonly store: SecurityStore;
  /** `auth.roles` of the config: a token's role must be one of them or `admin`. */
  readonly roles: Readonly<Record<string, Grant>>;
  readonly now?: () => number;
}

/** A new CI token, as `CreateCiTokenRequestSchema` parses it. */
export interface NewCiToken {
  readonly name: string;
  readonly role: string;
  readonly expiresAt?: string | undefined;
}

/** Who a valid CI token authenticates. */
export interface CiTokenIdentity {
  /** `ci.<name>`. */
  readonly user: string;
  readonly tokenId: string;
  readonly role: string;
}

/** Compared against when a presented id matches no token, so both paths hash and compare once. */
const DECOY_DIGEST = ciTokenDigest('hfit_ci_000000000000_decoy');

/** `active`, `expired` or `revoked` at `now`. */
export function ciTokenStatus(token: StoredCiToken, now: number): CiTokenView['status'] {
  if (token.revokedAt !== undefined) return 'revoked';
  if (token.expiresAt !== undefined && Date.parse(token.expiresAt) <= now) return 'expired';
  return 'active';
}

/** The active token acting as `user` (`ci.<name>`) among `tokens`, or `undefined`. */
export function activeCiTokenOf(tokens: readonly StoredCiToken[], user: string, now: number): StoredCiToken | undefined {
  if (!user.startsWith(CI_USER_PREFIX)) return undefined;
  const name = user.slice(CI_USER_PREFIX.length);
  return tokens.find((t) => t.name === name && ciTokenStatus(t, now) === 'active');
}

function view(token: StoredCiToken, now: number): CiTokenView {
  return {
    id: token.id,
    name: token.name,
    user: `${CI_USER_PREFIX}${token.name}`,
    role: token.role,
    createdAt: token.createdAt,
    createdBy: token.createdBy,
    ...(token.expiresAt === undefined ? {} : { expiresAt: token.expiresAt }),
    ...(token.revokedAt === undefined ? {} : { revokedAt: token.revokedAt }),
    ...(token.revokedBy === undefined ? {} : { revokedBy: token.revokedBy }),
    status: ciTokenStatus(token, now),
  };
}

/**
 * CI/service tokens: `hfit_ci_<id>_<secret>`, each acting as user `ci.<name>` with one role.
 * Only the sha256 of a token is stored; the token text is shown once, when it is created. Names
 * are unique among active tokens (a revoked or expired token's name may be reused).
 */
export class CiTokens {
  private readonly now: () => number;

  constructor(private readonly options: CiTokensOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Every token, newest first (never a secret or a hash). */
  async list(): Promise<CiTokenView[]> {
    const now = this.now();
    const { ciTokens } = await this.options.store.read();
    return [...ciTokens].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id)).map((t) => view(t, now));
  }

  /** Creates a token (`ROLE_UNKNOWN`, `TOKEN_EXISTS` for a name an active token has); the answer is the only time the token text exists. */
  async create(request: NewCiToken, by: string): Promise<CreatedCiToken> {
    requireKnownRoles([request.role], this.options.roles, 'body.role');
    const now = this.now();
    if (request.expiresAt !== undefined && Date.parse(request.expiresAt) <= now) {
      throw new HfitError('REQUEST_INVALID', `expiresAt ${request.expiresAt} is not in the future: give a later time, or none for a token that does not expire`, {
        field: 'body.expiresAt',
      });
    }
    const { id, token } = newCiToken();
    const stored: StoredCiToken = {
      id,
      name: request.name,
      role: request.role,
      sha256: ciTokenDigest(token).toString('hex'),
      createdAt: new Date(now).toISOString(),
      createdBy: by,
      ...(request.expiresAt === undefined ? {} : { expiresAt: new Date(request.expiresAt).toISOString() }),
    };
    return this.options.store.update(`creating CI token "${request.name}"`, (state) => {
      if (state.ciTokens.some((t) => t.name === request.name && ciTokenStatus(t, now) === 'active')) {
        throw new HfitError('TOKEN_EXISTS', `an active CI token is named "${request.name}": revoke it first, or choose another name`, { field: 'body.name' });
      }
      return { state: { ...state, ciTokens: [...state.ciTokens, stored] }, result: { ...view(stored, now), token } };
    });
  }

  /** Revokes a token at once (`TOKEN_NOT_FOUND`); revoking a revoked token changes nothing. */
  async revoke(id: string, by: string): Promise<CiTokenView> {
    const now = this.now();
    return this.options.store.update(`revoking CI token ${id}`, (state) => {
      const token = state.ciTokens.find((t) => t.id === id);
      if (token === undefined) throw new HfitError('TOKEN_NOT_FOUND', `there is no CI token with id "${id}": GET /v1/admin/tokens lists them`);
      if (token.revokedAt !== undefined) return { state, result: view(token, now) };
      const revoked: StoredCiToken = { ...token, revokedAt: new Date(now).toISOString(), revokedBy: by };
      return { state: { ...state, ciTokens: state.ciTokens.map((t) => (t === token ? revoked : t)) }, result: view(revoked, now) };
    });
  }

  /**
   * Who `token` authenticates, or `undefined` when it is malformed, unknown, revoked or expired.
   * The digest comparison is constant-time, and an unknown id still costs one comparison.
   */
  async authenticate(token: string): Promise<CiTokenIdentity | undefined> {
    const id = ciTokenIdOf(token);
    if (id === undefined) return undefined;
    const stored = (await this.options.store.read()).ciTokens.find((t) => t.id === id);
    const equal = timingSafeEqual(ciTokenDigest(token), stored === undefined ? DECOY_DIGEST : Buffer.from(stored.sha256, 'hex'));
    if (!equal || stored === undefined || ciTokenStatus(stored, this.now()) !== 'active') return undefined;
    return { user: `${CI_USER_PREFIX}${stored.name}`, tokenId: stored.id, role: stored.role };
  }

}
