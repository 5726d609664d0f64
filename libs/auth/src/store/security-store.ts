import type { Redis } from 'ioredis';
import type { ObjectStore } from '@hfit/storage';
import { securityRedisKeys } from '../security-redis-keys.js';
import { withRedisLock } from './redis-lock.js';
import { SecurityDocuments } from './security-documents.js';
import type { SecurityState } from './security-state.js';
import { SecurityVersion } from './security-version.js';

/** Options of {@link SecurityStore}. */
export interface SecurityStoreOptions {
  /** Where the documents live (the server's object store). */
  readonly objects: ObjectStore;
  readonly redis: Redis;
  /** `redis.prefix` of the config. */
  readonly prefix: string;
  /** Folder of the documents in the object store (default `security`). */
  readonly folder?: string;
}

/** The result of a change: the new state (the same object when nothing changed) and what to return. */
export interface Change<T> {
  readonly state: SecurityState;
  readonly result: T;
}

/**
 * Users, CI tokens and signing keys, shared by every API replica and worker: durable JSON
 * documents in the object store ({@link SecurityDocuments}), an in-process copy, and a Redis
 * version counter ({@link SecurityVersion}). {@link read} costs one Redis `GET` while nothing
 * changed; {@link update} holds a Redis lock, applies the change to a fresh load, writes the
 * changed documents, then bumps the version.
 */
export class SecurityStore {
  private readonly documents: SecurityDocuments;
  private readonly version: SecurityVersion;
  private cache: { readonly version: string; readonly state: SecurityState } | undefined;
  private loading: { readonly version: string; readonly promise: Promise<SecurityState> } | undefined;

  constructor(private readonly options: SecurityStoreOptions) {
    this.documents = new SecurityDocuments(options.objects, options.folder ?? 'security');
    this.version = new SecurityVersion(options.redis, securityRedisKeys(options.prefix).version);
  }

  /** The current state: the cached one when the version did not change, else a fresh load. */
  async read(): Promise<SecurityState> {
    const version = await this.version.current();
    if (this.cache?.version === version) return this.cache.state;
    if (this.loading?.version === version) return this.loading.promise;
    const promise = this.documents.load();
    const loading = { version, promise };
    this.loading = loading;
    try {
      const state = await promise;
      // Tagged with the version read before loading: if a write lands meanwhile, the next read
      // sees a newer version and loads again, so a stale state is never kept.
      this.cache = { version, state };
      return state;
    } finally {
      if (this.loading === loading) this.loading = undefined;
    }
  }

  /**
   * Applies `change` to the stored state under the write lock. `change` is pure: it returns the
   * new state (or the same object to write nothing) and a result, or throws (nothing is written).
   */
  async update<T>(what: string, change: (state: SecurityState) => Change<T>): Promise<T> {
    const keys = securityRedisKeys(this.options.prefix);
    return withRedisLock(this.options.redis, keys.lock, { what }, async () => {
      const current = await this.documents.load();
      const { state, result } = change(current);
      if (state !== current) {
        try {
          await this.documents.save(current, state);
        } catch (err) {
          // Some documents may have been written: make every replica reload what is there.
          await this.version.bump().catch(() => undefined);
          throw err;
        }
        this.cache = { version: await this.version.bump(), state };
      }
      return result;
    });
  }
}
