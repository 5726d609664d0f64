import type { LoginOutcome, Security } from '@hfit/auth';
import { ChallengeRequestSchema, ChallengeResponseSchema, HfitError, isHfitError, JwksSchema, TokenRequestSchema, TokenResponseSchema } from '@hfit/contracts';
import type { AuditSink } from '@hfit/contracts';
import { AUTH_REALM } from '../auth/auth-realm.js';
import type { RateLimits } from '../security/rate-limits.js';
import { bearerTokenOf } from './bearer-token-of.js';
import { clientAddress } from './client-address.js';
import type { RouteModule } from './route-module.js';
import { reply } from './route-spec.js';

/** What the login routes need. */
export interface AuthRoutesDeps {
  readonly security: Security;
  readonly audit: AuditSink;
  readonly rateLimits: RateLimits;
}

/**
 * The one answer to every failed login, whatever failed: it must not tell an unknown user from a
 * wrong key or a used challenge.
 */
const LOGIN_FAILED =
  'Login failed: the challenge was not issued to this user, was already used or has expired, or the signature does not verify with a key ' +
  'registered for the user. Ask for a new challenge (POST /v1/auth/challenge) and sign it with your registered private key';

/** Audit detail of a failed login (for admins; the client only ever sees {@link LOGIN_FAILED}). */
const FAILURE_DETAIL: Readonly<Record<Extract<LoginOutcome, { ok: false }>['reason'], string>> = {
  challenge: 'challenge not issued to this user, already used or expired',
  'unknown-user': 'no such user',
  signature: 'signature does not verify with any registered key',
};

/** Token answers and challenges must never be cached (RFC 6749 §5.1). */
const NO_STORE = { 'Cache-Control': 'no-store' } as const;
/** Short, so a rotation reaches JWKS caches well within the grace period. */
const JWKS_MAX_AGE_SECONDS = 60;

/**
 * Key-pair login: `POST /v1/auth/challenge`, `POST /v1/auth/token` (public, rate-limited per
 * username and client address, every attempt audited), `POST /v1/auth/logout`, and the public keys
 * that verify the tokens, `GET /.well-known/jwks.json`.
 */
export function authRoutes(deps: AuthRoutesDeps): RouteModule {
  const { security, audit, rateLimits } = deps;
  return (registry) => {
    registry.components({ ChallengeResponse: ChallengeResponseSchema, TokenResponse: TokenResponseSchema, Jwks: JwksSchema });
    registry.add({
      method: 'post',
      path: '/v1/auth/challenge',
      operationId: 'authChallenge',
      summary: 'Get a login challenge to sign',
      description:
        'Answers the text to sign for `username` (the same answer for every well-formed username, known or not), valid once until ' +
        '`expiresAt`. Sign its UTF-8 bytes with your private key and send the signature to `POST /v1/auth/token`.',
      tags: ['auth'],
      auth: 'public',
      body: { 'application/json': ChallengeRequestSchema },
      responses: { 200: { description: 'The challenge', schema: ChallengeResponseSchema, headers: { 'Cache-Control': 'no-store' } } },
      problems: [429],
      handle: async ({ body }, { req }) => {
        await rateLimits.login(body.value.username, clientAddress(req));
        return reply(200, await security.login.challenge(body.value.username), NO_STORE);
      },
    });
    registry.add({
      method: 'post',
      path: '/v1/auth/token',
      operationId: 'authToken',
      summary: 'Trade a signed challenge for a login token (JWT)',
      description:
        '`signature` is base64 (or base64url) of the signature of the challenge: RSA PKCS#1 v1.5 with SHA-256, ECDSA with SHA-256 (DER ' +
        'or IEEE P1363), or Ed25519. Every failure (unknown user, wrong key, bad signature, used, expired or foreign challenge) is the ' +
        'same `401`. The token is sent as `Authorization: Bearer <token>` until `expiresAt`.',
      tags: ['auth'],
      auth: 'public',
      body: { 'application/json': TokenRequestSchema },
      responses: { 200: { description: 'A login token', schema: TokenResponseSchema, headers: { 'Cache-Control': 'no-store' } } },
      problems: [401, 429],
      handle: async ({ body }, { req, res, requestId }) => {
        const { username } = body.value;
        const base = { action: 'auth.login', actor: username, via: 'key-signature', clientIp: clientAddress(req), requestId } as const;
        try {
          await rateLimits.login(username, base.clientIp);
        } catch (err) {
          if (isHfitError(err, 'RATE_LIMITED')) await audit.record({ ...base, outcome: 'failure', code: 'RATE_LIMITED', detail: 'too many login attempts' });
          throw err;
        }
        const outcome = await security.login.login(body.value);
        if (!outcome.ok) {
          await audit.record({ ...base, outcome: 'failure', code: 'UNAUTHENTICATED', detail: FAILURE_DETAIL[outcome.reason] });
          res.setHeader('WWW-Authenticate', `Bearer realm="${AUTH_REALM}"`);
          res.setHeader('Cache-Control', 'no-store');
          throw new HfitError('UNAUTHENTICATED', LOGIN_FAILED);
        }
        await audit.record({ ...base, outcome: 'success', detail: `key ${outcome.fingerprint}` });
        return reply(200, outcome.token, NO_STORE);
      },
    });
    registry.add({
      method: 'post',
      path: '/v1/auth/logout',
      operationId: 'authLogout',
      summary: 'Log out: the login token sent stops working at once',
      description: 'Revokes the login token (JWT) of the request until it expires. Static and CI tokens are not changed (admins revoke CI tokens).',
      tags: ['auth'],
      auth: 'bearer',
      responses: { 204: { description: 'Logged out' } },
      handle: async (_input, { req, user, requestId }) => {
        const token = bearerTokenOf(req);
        const revoked = user.via === 'jwt' && token !== undefined ? await security.tokens.revoke(token) : undefined;
        await audit.record({
          action: 'auth.logout',
          outcome: 'success',
          actor: user.user,
          via: user.via,
          clientIp: clientAddress(req),
          requestId,
          detail: revoked === undefined ? `${user.via}: nothing to revoke` : `login token ${revoked.jti} revoked`,
        });
        return reply(204, undefined);
      },
    });
    registry.add({
      method: 'get',
      path: '/.well-known/jwks.json',
      operationId: 'getJwks',
      summary: 'Public keys that verify the login tokens (JWKS)',
      description: 'The current signing key and the keys still in their grace period after a rotation (RFC 7517). Never private parts.',
      tags: ['auth'],
      auth: 'public',
      responses: { 200: { description: 'The key set', schema: JwksSchema, headers: { 'Cache-Control': `public, max-age=${JWKS_MAX_AGE_SECONDS}` } } },
      handle: async () => reply(200, await security.signingKeys.jwks(), { 'Cache-Control': `public, max-age=${JWKS_MAX_AGE_SECONDS}` }),
    });
  };
}
