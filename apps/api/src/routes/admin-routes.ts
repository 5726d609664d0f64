import type { Security } from '@hfit/auth';
import {
  AddKeyRequestSchema,
  CiTokenListSchema,
  CiTokenViewSchema,
  CreateCiTokenRequestSchema,
  CreatedCiTokenSchema,
  CreateUserRequestSchema,
  PublicKeyViewSchema,
  SigningKeyListSchema,
  UpdateUserRequestSchema,
  UserListSchema,
  UserNameSchema,
  UserViewSchema,
} from '@hfit/contracts';
import type { AuditSink } from '@hfit/contracts';
import { z } from 'zod';
import { adminAction, requireAdmin } from './admin-action.js';
import type { RouteModule } from './route-module.js';
import { reply } from './route-spec.js';

/** What the admin routes need. */
export interface AdminRoutesDeps {
  readonly security: Security;
  readonly audit: AuditSink;
}

const UserParams = z.object({ name: UserNameSchema.describe('User name') });
const KeyParams = z.object({
  name: UserNameSchema.describe('User name'),
  fingerprint: z.string().min(1).max(128).describe('`SHA256:…` as `ssh-keygen -lf` prints it (URL-encoded: `/` is `%2F`); the prefix may be left out'),
});
const TokenParams = z.object({ id: z.string().min(1).max(64).describe('Token id (the part after `hfit_ci_`)') });

/** Path of a user, for `Location`. */
const userPath = (name: string) => `/v1/admin/users/${encodeURIComponent(name)}`;

/**
 * `/v1/admin`: users and their public keys, CI tokens and JWT signing keys. Every route needs the
 * `admin` action (403 `FORBIDDEN` otherwise); every change is audited (`admin.user`, `admin.key`,
 * `admin.token`, `admin.signing-key`). Users of the server config answer 409 `USER_IMMUTABLE`.
 */
export function adminRoutes(deps: AdminRoutesDeps): RouteModule {
  const { security, audit } = deps;
  const { users, ciTokens, signingKeys } = security;
  return (registry) => {
    registry.components({
      UserView: UserViewSchema,
      UserList: UserListSchema,
      PublicKeyView: PublicKeyViewSchema,
      CiTokenView: CiTokenViewSchema,
      CiTokenList: CiTokenListSchema,
      CreatedCiToken: CreatedCiTokenSchema,
      SigningKeyList: SigningKeyListSchema,
    });
    const common = { tags: ['admin'], auth: 'bearer' } as const;

    registry.add({
      ...common,
      method: 'get',
      path: '/v1/admin/users',
      operationId: 'adminListUsers',
      summary: 'List users (server config admins and stored users)',
      responses: { 200: { description: 'Every user', schema: UserListSchema } },
      problems: [403],
      handle: async (_input, { user }) => {
        requireAdmin(user);
        return reply(200, { items: await users.list() });
      },
    });
    registry.add({
      ...common,
      method: 'post',
      path: '/v1/admin/users',
      operationId: 'adminCreateUser',
      summary: 'Add a user with roles, grants and public keys',
      body: { 'application/json': CreateUserRequestSchema },
      responses: { 201: { description: 'The new user', schema: UserViewSchema, headers: { Location: 'The user: /v1/admin/users/{name}' } } },
      problems: [403, 409, 422],
      handle: async ({ body }, { req, user, requestId }) => {
        const created = await adminAction(audit, { req, user, requestId }, { action: 'admin.user', target: body.value.name, detail: 'created' }, () =>
          users.create(body.value, user.user),
        );
        return reply(201, created, { Location: userPath(created.name) });
      },
    });
    registry.add({
      ...common,
      method: 'get',
      path: '/v1/admin/users/:name',
      operationId: 'adminGetUser',
      summary: 'One user',
      params: UserParams,
      responses: { 200: { description: 'The user', schema: UserViewSchema } },
      problems: [403, 404],
      handle: async ({ params }, { user }) => {
        requireAdmin(user);
        return reply(200, await users.get(params.name));
      },
    });
    registry.add({
      ...common,
      method: 'patch',
      path: '/v1/admin/users/:name',
      operationId: 'adminUpdateUser',
      summary: "Replace a user's roles and/or grants",
      params: UserParams,
      body: { 'application/json': UpdateUserRequestSchema },
      responses: { 200: { description: 'The changed user', schema: UserViewSchema } },
      problems: [403, 404, 409, 422],
      handle: async ({ params, body }, { req, user, requestId }) => {
        const fields = Object.keys(body.value).filter((k) => body.value[k as keyof typeof body.value] !== undefined);
        const changed = await adminAction(audit, { req, user, requestId }, { action: 'admin.user', target: params.name, detail: `changed ${fields.join(', ') || 'nothing'}` }, () =>
          users.update(params.name, body.value),
        );
        return reply(200, changed);
      },
    });
    registry.add({
      ...common,
      method: 'delete',
      path: '/v1/admin/users/:name',
      operationId: 'adminDeleteUser',
      summary: 'Remove a user and their keys (their login tokens stop working at once)',
      params: UserParams,
      responses: { 204: { description: 'Removed' } },
      problems: [403, 404, 409],
      handle: async ({ params }, { req, user, requestId }) => {
        await adminAction(audit, { req, user, requestId }, { action: 'admin.user', target: params.name, detail: 'removed' }, () => users.remove(params.name));
        return reply(204, undefined);
      },
    });
    registry.add({
      ...common,
      method: 'post',
      path: '/v1/admin/users/:name/keys',
      operationId: 'adminAddUserKey',
      summary: 'Register a public key for a user',
      description: 'An OpenSSH `authorized_keys` line (`ssh-ed25519`, `ssh-rsa` ≥ 2048 bits, `ecdsa-sha2-nistp256/384/521`) or a PEM public key.',
      params: UserParams,
      body: { 'application/json': AddKeyRequestSchema },
      responses: { 201: { description: 'The key', schema: PublicKeyViewSchema } },
      problems: [403, 404, 409, 422],
      handle: async ({ params, body }, { req, user, requestId }) => {
        const key = await adminAction(audit, { req, user, requestId }, { action: 'admin.key', target: params.name, detail: 'added' }, () =>
          users.addKey(params.name, body.value.publicKey, user.user),
        );
        return reply(201, key);
      },
    });
    registry.add({
      ...common,
      method: 'delete',
      path: '/v1/admin/users/:name/keys/:fingerprint',
      operationId: 'adminRemoveUserKey',
      summary: "Remove one of a user's keys",
      params: KeyParams,
      responses: { 204: { description: 'Removed' } },
      problems: [403, 404, 409],
      handle: async ({ params }, { req, user, requestId }) => {
        await adminAction(audit, { req, user, requestId }, { action: 'admin.key', target: params.name, detail: `removed ${params.fingerprint}` }, () =>
          users.removeKey(params.name, params.fingerprint),
        );
        return reply(204, undefined);
      },
    });
    registry.add({
      ...common,
      method: 'get',
      path: '/v1/admin/tokens',
      operationId: 'adminListCiTokens',
      summary: 'List CI tokens (never their secret)',
      responses: { 200: { description: 'Every CI token, newest first', schema: CiTokenListSchema } },
      problems: [403],
      handle: async (_input, { user }) => {
        requireAdmin(user);
        return reply(200, { items: await ciTokens.list() });
      },
    });
    registry.add({
      ...common,
      method: 'post',
      path: '/v1/admin/tokens',
      operationId: 'adminCreateCiToken',
      summary: 'Create a CI token acting as ci.<name> with one role',
      description: 'The answer is the only time the token itself is shown: store it in the CI secret store at once.',
      body: { 'application/json': CreateCiTokenRequestSchema },
      responses: { 201: { description: 'The token, with its secret', schema: CreatedCiTokenSchema, headers: { 'Cache-Control': 'no-store' } } },
      problems: [403, 409, 422],
      handle: async ({ body }, { req, user, requestId }) => {
        const created = await adminAction(audit, { req, user, requestId }, { action: 'admin.token', target: `ci.${body.value.name}`, detail: `created with role ${body.value.role}` }, () =>
          ciTokens.create(body.value, user.user),
        );
        return reply(201, created, { 'Cache-Control': 'no-store' });
      },
    });
    registry.add({
      ...common,
      method: 'delete',
      path: '/v1/admin/tokens/:id',
      operationId: 'adminRevokeCiToken',
      summary: 'Revoke a CI token (at once, on every API instance)',
      params: TokenParams,
      responses: { 200: { description: 'The revoked token', schema: CiTokenViewSchema } },
      problems: [403, 404],
      handle: async ({ params }, { req, user, requestId }) => {
        const revoked = await adminAction(audit, { req, user, requestId }, { action: 'admin.token', target: params.id, detail: 'revoked' }, () => ciTokens.revoke(params.id, user.user));
        return reply(200, revoked);
      },
    });
    registry.add({
      ...common,
      method: 'get',
      path: '/v1/admin/signing-keys',
      operationId: 'adminListSigningKeys',
      summary: 'JWT signing keys: the current one and those still in their grace period',
      responses: { 200: { description: 'The keys (public data only)', schema: SigningKeyListSchema } },
      problems: [403],
      handle: async (_input, { user }) => {
        requireAdmin(user);
        return reply(200, { items: await signingKeys.list() });
      },
    });
    registry.add({
      ...common,
      method: 'post',
      path: '/v1/admin/signing-keys/rotate',
      operationId: 'adminRotateSigningKey',
      summary: 'Replace the current signing key; the old one verifies until its grace period ends',
      responses: { 200: { description: 'The keys after the rotation, current first', schema: SigningKeyListSchema } },
      problems: [403],
      handle: async (_input, { req, user, requestId }) => {
        const items = await adminAction(audit, { req, user, requestId }, { action: 'admin.signing-key', target: 'signing-key', detail: (keys) => `rotated: new current key ${keys[0]?.kid ?? '?'}` }, () => signingKeys.rotate());
        return reply(200, { items });
      },
    });
  };
}
