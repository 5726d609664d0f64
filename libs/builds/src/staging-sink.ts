import { PassThrough, type Writable } from 'node:stream';
import type { PackageSink } from '@hfit/engine';
import type { ObjectStore } from '@hfit/storage';

/**
 * A package sink that streams each file into object storage under a staging prefix, so that the
 * job assembling the archive can run on another host. `commit` waits for every upload; `abort`
 * removes what was uploaded.
 */
export class StagingSink implements PackageSink {
  private readonly uploads: Promise<unknown>[] = [];
  private readonly keys: string[] = [];

  constructor(
    private readonly store: ObjectStore,
    private readonly prefix: string,
  ) {}

  /** Object key of a package path. */
  keyOf(path: string): string {
    return this.prefix + path;
  }

  async create(path: string): Promise<Writable> {
    const key = this.keyOf(path);
    const body = new PassThrough({ highWaterMark: 1024 * 1024 });
    this.keys.push(key);
    const upload = this.store.put(key, body).catch((err: unknown) => {
      // Fail the writer too, so the export stops instead of filling a buffer nobody reads.
      body.destroy(err as Error);
      throw err;
    });
    // Handled in commit/abort; avoid an unhandled rejection in between.
    upload.catch(() => undefined);
    this.uploads.push(upload);
    return body;
  }

  async commit(): Promise<void> {
    await Promise.all(this.uploads);
  }

  async abort(): Promise<void> {
    await Promise.allSettled(this.uploads);
    await Promise.allSettled(this.keys.map((k) => this.store.delete(k)));
  }
}
