import type { AuthConfig } from '@hfit/config';
import type { Logger } from '@hfit/logger';
import type { ObjectStore } from '@hfit/storage';
import type { Redis } from 'ioredis';
import { ChallengeStore } from './challenges/challenge-store.js';
import { CiTokens } from './ci-tokens/ci-tokens.js';
import { LoginTokens } from './jwt/login-tokens.js';
import { TokenDenyList } from './jwt/token-deny-list.js';
import { LoginService } from './login/login-service.js';
import { SecurityPolicies } from './policies/security-policies.js';
import { securityRedisKeys } from './security-redis-keys.js';
import { SigningKeySealer } from './signing/signing-key-sealer.js';
import { SigningKeys } from './signing/signing-keys.js';
import { SecurityStore } from './store/security-store.js';
import { configAdminsOf } from './users/config-admins.js';
import { UserDirectory } from './users/user-directory.js';

/** What {@link createSecurity} is built from. */
export interface SecurityOptions {
  /** The server config: `auth` and `redis.prefix` are read. */
  readonly config: { readonly auth: AuthConfig; readonly redis: { readonly prefix: string } };
  /**
   * Redis connection (shared; never closed here). A `queue`-role connection makes requests fail
   * fast (503) while Redis is down; a `worker`-role one waits for it.
   */
  readonly redis: Redis;
  /** The server's object store: the security documents live under `security/`. */
  readonly objects: ObjectStore;
  readonly logger: Logger;
  /** Clock, ms since the epoch (tests). */
  readonly now?: () => number;
  /** Least time a failed login takes (`LoginServiceOptions.minFailureMs`, default 25 ms). */
  readonly minLoginFailureMs?: number;
}

/** Users, keys, CI tokens, signing keys, login and access, over one security store. */
export interface Security {
  /** Access of every user (`PolicyResolver`): give it to `createApp({ policies })` and to the worker. */
  readonly policies: SecurityPolicies;
  readonly users: UserDirectory;
  readonly ciTokens: CiTokens;
  readonly signingKeys: SigningKeys;
  /** Login JWTs: issue, verify, revoke. */
  readonly tokens: LoginTokens;
  /** Challenge and signed-challenge login. */
  readonly login: LoginService;
  readonly store: SecurityStore;
}

/**
 * Builds the security services of one process (API replica or worker) over the shared store:
 * documents in `objects`, version counter, lock, challenges and logged-out tokens in Redis under
 * `config.redis.prefix`. Parses the config admins' keys at once (`CONFIG_INVALID` naming each bad
 * one). Does no I/O: call `signingKeys.ensure()` at API start so the first login finds a key.
 */
export function createSecurity(options: SecurityOptions): Security {
  const { auth } = options.config;
  const keys = securityRedisKeys(options.config.redis.prefix);
  const now = options.now ?? Date.now;
  const store = new SecurityStore({ objects: options.objects, redis: options.redis, prefix: options.config.redis.prefix });
  const users = new UserDirectory({ store, admins: configAdminsOf(auth.admins), roles: auth.roles, now });
  const signingKeys = new SigningKeys({
    store,
    algorithm: auth.signingAlgorithm,
    graceSeconds: auth.signingKeyGraceSeconds ?? auth.tokenTtlSeconds,
    logger: options.logger,
    ...(auth.signingKeySecret === undefined ? {} : { sealer: new SigningKeySealer(auth.signingKeySecret) }),
    now,
  });
  const tokens = new LoginTokens({
    signingKeys,
    denyList: new TokenDenyList(options.redis, keys.revokedJti, keys.tokenGeneration, now),
    issuer: auth.issuer,
    audience: auth.audience,
    ttlSeconds: auth.tokenTtlSeconds,
    userCreatedAt: async (user) => (await store.read()).users.find((u) => u.name === user)?.createdAt,
    now,
  });
  const challenges = new ChallengeStore({ redis: options.redis, keyOf: keys.challenge, audience: auth.audience, ttlSeconds: auth.challengeTtlSeconds, now });
  return {
    policies: new SecurityPolicies({ store, auth, now }),
    users,
    ciTokens: new CiTokens({ store, roles: auth.roles, now }),
    signingKeys,
    tokens,
    login: new LoginService({ challenges, users, tokens, ...(options.minLoginFailureMs === undefined ? {} : { minFailureMs: options.minLoginFailureMs }) }),
    store,
  };
}
