import { isHfitError } from '@hfit/contracts';
import { expect } from 'chai';
import { createObjectStore } from './create-object-store.js';
import { FsObjectStore } from './fs/fs-object-store.js';
import type { ObjectStoreOptions } from './object-store-options.js';
import { S3ObjectStore } from './s3/s3-object-store.js';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('createObjectStore', () => {
  it('builds the store the storage section names', () => {
    expect(createObjectStore({ type: 'fs', root: '/var/lib/hfit/packages' })).to.be.instanceOf(FsObjectStore);
    const s3 = createObjectStore({ type: 's3', bucket: 'b', prefix: 'hfit/', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true });
    expect(s3).to.be.instanceOf(S3ObjectStore);
    expect((s3 as S3ObjectStore).prefix).to.equal('hfit/');
  });

  it('names the bad field', () => {
    const cases: [ObjectStoreOptions, string][] = [
      [{ type: 'nfs' } as unknown as ObjectStoreOptions, 'storage.type'],
      [{ type: 'fs', root: 'rel' }, 'storage.root'],
      [{ type: 's3', bucket: '' }, 'storage.bucket'],
      [{ type: 's3', bucket: 'b', prefix: '../x' }, 'storage.prefix'],
      [{ type: 's3', bucket: 'b', partSize: 1024 }, 'storage.partSize'],
      [{ type: 's3', bucket: 'b', listPageSize: 5000 }, 'storage.listPageSize'],
      [{ type: 's3', bucket: 'b', endpoint: 'not a url' }, 'storage.endpoint'],
    ];
    for (const [options, field] of cases) {
      const e = thrown(() => createObjectStore(options));
      expect(isHfitError(e, 'STORAGE_OPTIONS_INVALID'), String(e)).to.equal(true);
      expect((e as { field?: string }).field).to.equal(field);
    }
  });
});
