import { AuditPageSchema, AuditVerificationSchema, CiTokenListSchema, CiTokenViewSchema, CreatedCiTokenSchema, PublicKeyViewSchema, SigningKeyListSchema, UserListSchema, UserViewSchema } from '@hfit/contracts';
import type {
  AuditAction,
  AuditEvent,
  AuditPage,
  AuditVerification,
  AuditVerifyQuery,
  CiTokenView,
  CreateCiTokenRequest,
  CreatedCiToken,
  CreateUserRequest,
  PublicKeyView,
  SigningKeyView,
  UpdateUserRequest,
  UserView,
} from '@hfit/contracts';
import type { CallOptions } from './builds-api.js';
import { segment, type HttpTransport } from './http-transport.js';

/** Filters and paging of {@link AdminApi.audit}. */
export interface AuditParams {
  /** Events of this actor. */
  readonly user?: string;
  readonly action?: AuditAction;
  /** ISO 8601; events at or after. */
  readonly since?: string;
  /** ISO 8601; events before. */
  readonly until?: string;
  /** Events per page, 1-1000 (server default 100). */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** Options of {@link AdminApi.auditEvents}. */
export interface AuditEventsOptions extends CallOptions {
  /** Stop after this many events (default: every event the filters match). */
  readonly max?: number;
  /** Called after each page is read (progress of a long listing). */
  readonly onPage?: (page: AuditPage) => void;
}

/** The largest page the server sends. */
const AUDIT_MAX_PAGE = 1000;

function userPath(name: string): string {
  return `/v1/admin/users/${segment(name)}`;
}

/**
 * `/v1/admin`: users and their public keys, CI tokens, JWT signing keys and the audit trail.
 * Every call needs a token whose user has the `admin` action (else `ApiError` 403 `FORBIDDEN`).
 * Users defined in the server config answer 409 `USER_IMMUTABLE` to changes.
 */
export class AdminApi {
  constructor(private readonly transport: HttpTransport) {}

  /** `GET /v1/admin/users`: every user, from the server config and the security store. */
  async listUsers(options: CallOptions = {}): Promise<UserView[]> {
    return (await this.transport.json({ path: '/v1/admin/users', signal: options.signal }, UserListSchema)).data.items;
  }

  /** `POST /v1/admin/users`: a new user with roles, grants and public keys (409 `USER_EXISTS`). */
  async createUser(request: CreateUserRequest, options: CallOptions = {}): Promise<UserView> {
    return (await this.transport.json({ method: 'POST', path: '/v1/admin/users', json: request, signal: options.signal }, UserViewSchema, [201])).data;
  }

  /** `GET /v1/admin/users/:name` (404 `USER_NOT_FOUND`). */
  async getUser(name: string, options: CallOptions = {}): Promise<UserView> {
    return (await this.transport.json({ path: userPath(name), signal: options.signal }, UserViewSchema)).data;
  }

  /** `PATCH /v1/admin/users/:name`: replaces the roles and/or grants given. */
  async updateUser(name: string, request: UpdateUserRequest, options: CallOptions = {}): Promise<UserView> {
    return (await this.transport.json({ method: 'PATCH', path: userPath(name), json: request, signal: options.signal }, UserViewSchema)).data;
  }

  /** `DELETE /v1/admin/users/:name`: the user and their keys; their login tokens stop working. */
  async deleteUser(name: string, options: CallOptions = {}): Promise<void> {
    await this.transport.expect({ method: 'DELETE', path: userPath(name), signal: options.signal }, [204]);
  }

  /**
   * `POST /v1/admin/users/:name/keys`: registers a public key (an OpenSSH `authorized_keys` line or
   * PEM SPKI); 422 `KEY_INVALID` for anything else, 409 `KEY_EXISTS` for a key already registered.
   */
  async addKey(user: string, publicKey: string, options: CallOptions = {}): Promise<PublicKeyView> {
    const request = { method: 'POST' as const, path: `${userPath(user)}/keys`, json: { publicKey }, signal: options.signal };
    return (await this.transport.json(request, PublicKeyViewSchema, [201])).data;
  }

  /** `DELETE /v1/admin/users/:name/keys/:fingerprint` (`SHA256:…`, as `ssh-keygen -lf` prints it). */
  async removeKey(user: string, fingerprint: string, options: CallOptions = {}): Promise<void> {
    await this.transport.expect({ method: 'DELETE', path: `${userPath(user)}/keys/${segment(fingerprint)}`, signal: options.signal }, [204]);
  }

  /** `GET /v1/admin/tokens`: every CI token (never its secret). */
  async listTokens(options: CallOptions = {}): Promise<CiTokenView[]> {
    return (await this.transport.json({ path: '/v1/admin/tokens', signal: options.signal }, CiTokenListSchema)).data.items;
  }

  /** `POST /v1/admin/tokens`: a CI token acting as `ci.<name>`; the answer is the only time `token` is shown. */
  async createToken(request: CreateCiTokenRequest, options: CallOptions = {}): Promise<CreatedCiToken> {
    return (await this.transport.json({ method: 'POST', path: '/v1/admin/tokens', json: request, signal: options.signal }, CreatedCiTokenSchema, [201])).data;
  }

  /** `DELETE /v1/admin/tokens/:id`: revokes a CI token at once; answers its view (`status: revoked`). */
  async revokeToken(id: string, options: CallOptions = {}): Promise<CiTokenView> {
    return (await this.transport.json({ method: 'DELETE', path: `/v1/admin/tokens/${segment(id)}`, signal: options.signal }, CiTokenViewSchema)).data;
  }

  /** `GET /v1/admin/signing-keys`: the JWT signing keys (`current`, and `grace` ones still verifying). */
  async signingKeys(options: CallOptions = {}): Promise<SigningKeyView[]> {
    return (await this.transport.json({ path: '/v1/admin/signing-keys', signal: options.signal }, SigningKeyListSchema)).data.items;
  }

  /** `POST /v1/admin/signing-keys/rotate`: a new current key; the old one verifies during its grace period. */
  async rotateSigningKey(options: CallOptions = {}): Promise<SigningKeyView[]> {
    return (await this.transport.json({ method: 'POST', path: '/v1/admin/signing-keys/rotate', signal: options.signal }, SigningKeyListSchema)).data.items;
  }

  /** `GET /v1/admin/audit`: one page of audit events, oldest first. */
  async audit(params: AuditParams = {}, options: CallOptions = {}): Promise<AuditPage> {
    const query = { user: params.user, action: params.action, since: params.since, until: params.until, limit: params.limit, cursor: params.cursor };
    return (await this.transport.json({ path: '/v1/admin/audit', query, signal: options.signal }, AuditPageSchema)).data;
  }

  /**
   * `GET /v1/admin/audit/verify`: the server's audit files checked against their hash chains and
   * the chain anchors in Redis, only those of UTC days at or after `since` (YYYY-MM-DD) when given.
   * Resolves whether or not the trail is intact: see `ok`, the problems per file and `missing`.
   */
  async verifyAudit(params: AuditVerifyQuery = {}, options: CallOptions = {}): Promise<AuditVerification> {
    return (await this.transport.json({ path: '/v1/admin/audit/verify', query: { since: params.since }, signal: options.signal }, AuditVerificationSchema)).data;
  }

  /**
   * The audit events matching `params`, oldest first, following `nextCursor` page after page
   * until there is none or `options.max` events were yielded. Pages are requested as the caller
   * iterates (`params.limit`, capped to what is still wanted, is the page size).
   */
  async *auditEvents(params: Omit<AuditParams, 'cursor'> = {}, options: AuditEventsOptions = {}): AsyncGenerator<AuditEvent, void, undefined> {
    const max = options.max ?? Number.POSITIVE_INFINITY;
    let cursor: string | undefined;
    let yielded = 0;
    while (yielded < max) {
      const limit = Math.min(params.limit ?? AUDIT_MAX_PAGE, AUDIT_MAX_PAGE, max - yielded);
      const page = await this.audit({ ...params, limit, ...(cursor === undefined ? {} : { cursor }) }, options);
      options.onPage?.(page);
      for (const event of page.items) {
        if (yielded >= max) return;
        yielded++;
        yield event;
      }
      // A page without events but with a cursor would loop for ever: stop there.
      if (page.nextCursor === undefined || page.items.length === 0) return;
      cursor = page.nextCursor;
    }
  }
}
