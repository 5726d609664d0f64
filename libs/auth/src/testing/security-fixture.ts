import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthConfigSchema, type AuthConfig } from '@hfit/config';
import { createLogger, type Logger } from '@hfit/logger';
import { FsObjectStore, type ObjectStore } from '@hfit/storage';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueTestPrefix } from '@hfit/queue/testing';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { createSecurity, type Security } from '../create-security.js';

/** Options of {@link createSecurityFixture}. */
export interface SecurityFixtureOptions {
  /** The `auth` section as written in a config (validated by the config schema). */
  readonly auth?: z.input<typeof AuthConfigSchema>;
  /**
   * Values set after validation, below the schema's minimums (a 1 s challenge TTL, a 1 s token
   * lifetime), so expiry tests need not wait for the production minimums.
   */
  readonly unchecked?: Partial<AuthConfig>;
}

/** A security store on the real Redis (unique prefix) and a temporary fs object store. */
export interface SecurityFixture {
  readonly prefix: string;
  readonly root: string;
  readonly objects: ObjectStore;
  readonly config: { readonly auth: AuthConfig; readonly redis: { readonly prefix: string } };
  readonly logger: Logger;
  /** A connection the fixture owns (closed by `dispose`). */
  readonly redis: Redis;
  /** The security services of the first "replica". */
  readonly security: Security;
  /** Another replica's services: same Redis prefix and storage, own connection and caches. */
  replica(): Security;
  /** Deletes every Redis key of the prefix (simulates losing Redis). */
  flushRedis(): Promise<number>;
  /** Closes every connection, deletes the keys and the storage folder. */
  dispose(): Promise<void>;
}

/** A new {@link SecurityFixture}; call `dispose()` in `afterEach`. */
export async function createSecurityFixture(options: SecurityFixtureOptions = {}): Promise<SecurityFixture> {
  const prefix = uniqueTestPrefix();
  const root = await mkdtemp(join(tmpdir(), 'hfit-security-'));
  const objects = new FsObjectStore({ root });
  const auth = { ...AuthConfigSchema.parse(options.auth ?? {}), ...options.unchecked };
  const config = { auth, redis: { prefix } };
  const logger = createLogger({ name: 'security-test', level: 'silent' });
  const connections: Redis[] = [];
  const connect = () => {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    connections.push(redis);
    return redis;
  };
  const redis = connect();
  const replica = () => createSecurity({ config, redis: connect(), objects, logger });
  return {
    prefix,
    root,
    objects,
    config,
    logger,
    redis,
    security: replica(),
    replica,
    flushRedis: () => deleteKeysWithPrefix(redis, prefix),
    dispose: async () => {
      try {
        await deleteKeysWithPrefix(redis, prefix);
      } finally {
        await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
        await rm(root, { recursive: true, force: true });
      }
    },
  };
}
