import type { FsObjectStoreOptions } from './fs/fs-object-store.js';
import type { S3ObjectStoreOptions } from './s3/s3-object-store.js';

/**
 * The `storage` section of the server configuration: a local folder (the default) or an S3 bucket.
 * libs/config validates it; {@link createObjectStore} turns it into an `ObjectStore`.
 */
export type ObjectStoreOptions =
  | ({ readonly type: 'fs' } & FsObjectStoreOptions)
  | ({ readonly type: 's3' } & Omit<S3ObjectStoreOptions, 'client'>);
