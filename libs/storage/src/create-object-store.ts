import { HfitError } from '@hfit/contracts';
import { FsObjectStore } from './fs/fs-object-store.js';
import type { ObjectStoreOptions } from './object-store-options.js';
import type { ObjectStore } from './object-store.js';
import { S3ObjectStore } from './s3/s3-object-store.js';

/**
 * The object store the `storage` configuration section describes. Options are checked here, so a
 * bad section fails at start-up with `STORAGE_OPTIONS_INVALID` naming the field.
 */
export function createObjectStore(options: ObjectStoreOptions): ObjectStore {
  switch (options.type) {
    case 'fs': {
      const { type: _type, ...fs } = options;
      return new FsObjectStore(fs);
    }
    case 's3': {
      const { type: _type, ...s3 } = options;
      return new S3ObjectStore(s3);
    }
    default: {
      const type: unknown = (options as { type?: unknown }).type;
      throw new HfitError('STORAGE_OPTIONS_INVALID', `storage.type must be "fs" or "s3", got ${JSON.stringify(type)}`, { field: 'storage.type' });
    }
  }
}
