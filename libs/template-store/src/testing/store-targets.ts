import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore, S3ObjectStore } from '@hfit/storage';
import type { ObjectStore } from '@hfit/storage';
// @hfit/storage exports no "./testing" entry, so its fake-S3 starter is reached through its build
// output; the project reference to libs/storage makes sure that output exists.
import { startFakeS3 } from '@hfit/storage/testing';
import type { FakeS3 } from '@hfit/storage/testing';

/** One object store implementation the shared suites run against. */
export interface StoreTarget {
  readonly name: string;
  readonly store: ObjectStore;
  /** Removes everything the target created (temp folder, server). */
  dispose(): Promise<void>;
}

/** Factory of a {@link StoreTarget}, called once per suite in `before`. */
export interface StoreTargetFactory {
  readonly name: string;
  create(): Promise<StoreTarget>;
}

/** A {@link FsObjectStore} in a fresh temp folder. */
export const fsTarget: StoreTargetFactory = {
  name: 'FsObjectStore (temp folder)',
  async create() {
    const root = await mkdtemp(join(tmpdir(), 'hfit-template-store-'));
    return {
      name: this.name,
      store: new FsObjectStore({ root }),
      dispose: () => rm(root, { recursive: true, force: true }),
    };
  },
};

/** A {@link S3ObjectStore} on a fresh bucket of a fauxqs S3 server in a child process. */
export const s3Target: StoreTargetFactory = {
  name: 'S3ObjectStore (fauxqs on 127.0.0.1)',
  async create() {
    const server: FakeS3 = await startFakeS3();
    try {
      const bucket = `hfit-test-${randomUUID()}`;
      // fauxqs does not check signatures, so a plain PUT creates the bucket without an S3 SDK here.
      const created = await fetch(`${server.endpoint}/${bucket}`, { method: 'PUT' });
      if (!created.ok) throw new Error(`creating bucket ${bucket} failed: HTTP ${created.status}`);
      const store = new S3ObjectStore({
        bucket,
        prefix: 'tenant-a',
        endpoint: server.endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
      return { name: this.name, store, dispose: () => server.stop() };
    } catch (e) {
      await server.stop();
      throw e;
    }
  },
};

/** Both targets: every store suite runs against each. */
export const storeTargets: readonly StoreTargetFactory[] = [fsTarget, s3Target];
