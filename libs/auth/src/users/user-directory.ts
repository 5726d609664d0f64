import { CI_USER_PREFIX, HfitError } from '@hfit/contracts';
import type { Grant, PublicKeyView, UserView } from '@hfit/contracts';
import type { LoginKey } from '../keys/login-key.js';
import { parsePublicKey } from '../keys/parse-public-key.js';
import { requireKnownRoles } from '../roles/require-known-roles.js';
import type { SecurityState, StoredKey, StoredUser } from '../store/security-state.js';
import type { SecurityStore } from '../store/security-store.js';
import type { ConfigAdmin } from './config-admins.js';
import { configAdminView, storedKeyView, storedUserView } from './user-views.js';

/** Options of {@link UserDirectory}. */
export interface UserDirectoryOptions {
  readonly store: SecurityStore;
  /** The first admins of the config (`configAdminsOf(auth.admins)`). */
  readonly admins: readonly ConfigAdmin[];
  /** `auth.roles` of the config: the roles that may be assigned besides `admin`. */
  readonly roles: Readonly<Record<string, Grant>>;
  readonly now?: () => number;
}

/** A new user, as `CreateUserRequestSchema` parses it. */
export interface NewUser {
  readonly name: string;
  readonly roles: readonly string[];
  readonly grants: readonly Grant[];
  /** Public keys as text (`authorized_keys` lines or PEM). */
  readonly keys: readonly string[];
}

/** What `PATCH` replaces. */
export interface UserChange {
  readonly roles?: readonly string[] | undefined;
  readonly grants?: readonly Grant[] | undefined;
}

/** `SHA256:…` whether or not the caller wrote the prefix. */
function normalFingerprint(fingerprint: string): string {
  return fingerprint.startsWith('SHA256:') ? fingerprint : `SHA256:${fingerprint}`;
}

function withUsers(state: SecurityState, users: readonly StoredUser[]): SecurityState {
  return { ...state, users };
}

/**
 * The users who may log in with a key pair: the config's first admins (read-only) and the users
 * of the security store, with their roles, grants and public keys. Every change goes through the
 * store's locked update; keys are parsed once per stored version.
 */
export class UserDirectory {
  private readonly since = new Date().toISOString();
  private readonly parsed = new WeakMap<StoredKey, LoginKey>();
  private readonly now: () => number;

  constructor(private readonly options: UserDirectoryOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Every user: config admins first (config order), then the store's by name. */
  async list(): Promise<UserView[]> {
    const state = await this.options.store.read();
    const stored = [...state.users].sort((a, b) => a.name.localeCompare(b.name)).map(storedUserView);
    return [...this.options.admins.map((a) => configAdminView(a, this.since)), ...stored];
  }

  /** One user; `USER_NOT_FOUND` when there is none. */
  async get(name: string): Promise<UserView> {
    const admin = this.configAdmin(name);
    if (admin !== undefined) return configAdminView(admin, this.since);
    const user = (await this.options.store.read()).users.find((u) => u.name === name);
    if (user === undefined) throw notFound(name);
    return storedUserView(user);
  }

  /**
   * Adds a user. `USER_EXISTS` when the name is taken (by a stored user or a config admin),
   * `REQUEST_INVALID` for a `ci.` name, `ROLE_UNKNOWN`, `KEY_INVALID`, `KEY_EXISTS` (a key given twice).
   */
  async create(request: NewUser, by: string): Promise<UserView> {
    if (request.name.startsWith(CI_USER_PREFIX)) {
      throw new HfitError('REQUEST_INVALID', `user names starting with "${CI_USER_PREFIX}" are kept for CI tokens: choose another name`, { field: 'body.name' });
    }
    if (this.configAdmin(request.name) !== undefined) {
      throw new HfitError('USER_EXISTS', `user "${request.name}" is an admin of the server config (auth.admins): choose another name`, { field: 'body.name' });
    }
    requireKnownRoles(request.roles, this.options.roles, 'body.roles');
    const at = this.timestamp();
    const keys = request.keys.map((text, i) => this.storedKey(parsePublicKey(text, `body.keys[${i}]`), at, by));
    keys.forEach((k, i) => {
      if (keys.findIndex((o) => o.fingerprint === k.fingerprint) !== i) {
        throw new HfitError('KEY_EXISTS', `the key ${k.fingerprint} is given twice`, { field: `body.keys[${i}]` });
      }
    });
    const user: StoredUser = { name: request.name, roles: [...new Set(request.roles)], grants: [...request.grants], keys, createdAt: at, createdBy: by };
    return this.options.store.update(`adding user "${request.name}"`, (state) => {
      if (state.users.some((u) => u.name === request.name)) throw new HfitError('USER_EXISTS', `user "${request.name}" already exists: change it with PATCH, or choose another name`);
      return { state: withUsers(state, [...state.users, user]), result: storedUserView(user) };
    });
  }

  /** Replaces the roles and/or grants of a stored user (`USER_IMMUTABLE` for a config admin). */
  async update(name: string, change: UserChange): Promise<UserView> {
    this.requireMutable(name);
    if (change.roles !== undefined) requireKnownRoles(change.roles, this.options.roles, 'body.roles');
    return this.change(name, `changing user "${name}"`, (user) => {
      const next: StoredUser = {
        ...user,
        ...(change.roles === undefined ? {} : { roles: [...new Set(change.roles)] }),
        ...(change.grants === undefined ? {} : { grants: [...change.grants] }),
      };
      return { user: next, result: storedUserView(next) };
    });
  }

  /** Removes a stored user and their keys; their login tokens stop working at once. */
  async remove(name: string): Promise<UserView> {
    this.requireMutable(name);
    return this.options.store.update(`removing user "${name}"`, (state) => {
      const user = state.users.find((u) => u.name === name);
      if (user === undefined) throw notFound(name);
      return { state: withUsers(state, state.users.filter((u) => u !== user)), result: storedUserView(user) };
    });
  }

  /** Registers a public key (`KEY_INVALID`, `KEY_EXISTS` when the user has it already). */
  async addKey(name: string, text: string, by: string): Promise<PublicKeyView> {
    this.requireMutable(name);
    const key = this.storedKey(parsePublicKey(text, 'body.publicKey'), this.timestamp(), by);
    return this.change(name, `adding a key to user "${name}"`, (user) => {
      if (user.keys.some((k) => k.fingerprint === key.fingerprint)) throw new HfitError('KEY_EXISTS', `user "${name}" already has the key ${key.fingerprint}`);
      return { user: { ...user, keys: [...user.keys, key] }, result: storedKeyView(key) };
    });
  }

  /** Removes a key by fingerprint (`SHA256:…`, prefix optional); `KEY_NOT_FOUND` when the user has no such key. */
  async removeKey(name: string, fingerprint: string): Promise<PublicKeyView> {
    this.requireMutable(name);
    const wanted = normalFingerprint(fingerprint);
    return this.change(name, `removing a key of user "${name}"`, (user) => {
      const key = user.keys.find((k) => k.fingerprint === wanted);
      if (key === undefined) throw new HfitError('KEY_NOT_FOUND', `user "${name}" has no key ${wanted}: list the user to see their fingerprints`);
      return { user: { ...user, keys: user.keys.filter((k) => k !== key) }, result: storedKeyView(key) };
    });
  }

  /** The keys `name` may log in with, or `undefined` when there is no such user. */
  async loginKeys(name: string): Promise<readonly LoginKey[] | undefined> {
    const admin = this.configAdmin(name);
    if (admin !== undefined) return admin.keys;
    const user = (await this.options.store.read()).users.find((u) => u.name === name);
    return user?.keys.map((k) => this.loginKeyOf(k));
  }

  /** Whether `name` is a first admin of the config. */
  isConfigAdmin(name: string): boolean {
    return this.configAdmin(name) !== undefined;
  }

  private loginKeyOf(stored: StoredKey): LoginKey {
    let key = this.parsed.get(stored);
    if (key === undefined) {
      key = parsePublicKey(stored.publicKey);
      this.parsed.set(stored, key);
    }
    return key;
  }

  private change<T>(name: string, what: string, edit: (user: StoredUser) => { user: StoredUser; result: T }): Promise<T> {
    return this.options.store.update(what, (state) => {
      const user = state.users.find((u) => u.name === name);
      if (user === undefined) throw notFound(name);
      const { user: next, result } = edit(user);
      return { state: withUsers(state, state.users.map((u) => (u === user ? next : u))), result };
    });
  }

  private storedKey(key: LoginKey, at: string, by: string): StoredKey {
    return { publicKey: key.line, fingerprint: key.fingerprint, type: key.type, bits: key.bits, ...(key.comment === undefined ? {} : { comment: key.comment }), addedAt: at, addedBy: by };
  }

  private requireMutable(name: string): void {
    if (this.configAdmin(name) !== undefined) {
      throw new HfitError('USER_IMMUTABLE', `user "${name}" is an admin of the server config (auth.admins): change it there, not through the API`);
    }
  }

  private configAdmin(name: string): ConfigAdmin | undefined {
    return this.options.admins.find((a) => a.name === name);
  }

  private timestamp(): string {
    return new Date(this.now()).toISOString();
  }
}

function notFound(name: string): HfitError {
  return new HfitError('USER_NOT_FOUND', `there is no user "${name}": GET /v1/admin/users lists them`);
}
