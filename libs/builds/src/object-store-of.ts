import type { LoadedServerConfig } from '@hfit/config';
import { createObjectStore } from '@hfit/storage';
import type { ObjectStore } from '@hfit/storage';

/** The object store described by the config's `storage` section. */
export function objectStoreOf(config: LoadedServerConfig): ObjectStore {
  const s = config.storage;
  return s.type === 'fs'
    ? createObjectStore({ type: 'fs', root: s.root })
    : createObjectStore({
        type: 's3',
        bucket: s.bucket,
        region: s.region,
        forcePathStyle: s.forcePathStyle,
        ...(s.prefix === undefined ? {} : { prefix: s.prefix }),
        ...(s.endpoint === undefined ? {} : { endpoint: s.endpoint }),
        ...(s.credentials === undefined ? {} : { credentials: s.credentials }),
        ...(s.partSize === undefined ? {} : { partSize: s.partSize }),
      });
}
