import { utimesSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { createVolumeFixture, type VolumeFixture } from '../testing/volume-fixture.js';
import { bestFile } from './best-file.js';

describe('bestFile', () => {
  let fx: VolumeFixture;
  const config = () => ({ volumes: [fx.volume()] });
  const best = async (filters: string[]) => (await bestFile(config(), 'data', filters, { now: new Date(fx.now) })).path;

  beforeEach(() => {
    fx = createVolumeFixture();
  });
  afterEach(() => fx.remove());

  it('is the newest matching file below the root when no sort is given', async () => {
    expect(await best([])).to.equal('sub/deep/c.log');
    expect(await best(['name:*.txt'])).to.equal('a.txt');
    expect(await bestFile(config(), 'data', ['name:*.bin'])).to.deep.equal({
      name: 'big.bin',
      path: 'big.bin',
      size: 5000,
      modtime: new Date(fx.now - 40 * 86_400_000).toISOString(),
      isdir: false,
    });
  });

  it('follows sort: and path:, like the first line of the same listing', async () => {
    expect(await best(['sort:size:desc'])).to.equal('big.bin');
    expect(await best(['sort:size'])).to.equal('.hidden.txt');
    expect(await best(['sort:mtime:asc'])).to.equal('big.bin');
    expect(await best(['name:*', 'sort:name'])).to.equal('a.txt');
    expect(await best(['path:sub', 'name:*.txt'])).to.equal('sub/b.txt');
    expect(await best(['path:sub', 'sort:mtime|desc'])).to.equal('sub/deep/c.log');
  });

  it('breaks ties by path', async () => {
    fx.write('tie/y.dat', 'y', 5000);
    fx.write('tie/x.dat', 'x', 5000);
    fx.write('tie/z.dat', 'z', 5000);
    expect(await best(['path:tie'])).to.equal('tie/x.dat');
    expect(await best(['path:tie', 'sort:size:desc'])).to.equal('tie/x.dat');
  });

  it('never picks a symlink that leads out of the volume, however new its target', async () => {
    const future = new Date(fx.now + 86_400_000);
    utimesSync(path.join(fx.outside, 'secret.txt'), future, future);
    expect(await best(['name:*.txt'])).to.equal('a.txt');
    expect(await best(['name:link-*'])).to.equal('link-abs-in');
  });

  it('answers FILE_NOT_FOUND naming the folder and the filters when nothing matches', async () => {
    const err = await bestFile(config(), 'data', ['path:sub', 'name:*.csv', 'size:>1k']).then(
      () => expect.fail('should reject'),
      (e: { code: string; message: string }) => e,
    );
    expect(err.code).to.equal('FILE_NOT_FOUND');
    expect(err.message).to.contain('folder "sub"').and.to.contain('volume "data"').and.to.contain('name:*.csv size:>1024');
    const root = await bestFile(config(), 'data', ['name:*.csv']).catch((e: { message: string }) => e);
    expect((root as { message: string }).message).to.contain('below the root of volume "data"');
  });

  it('refuses bad folders and filters like the listing does', async () => {
    for (const [filters, code] of [
      [['path:../outside'], 'PATH_ESCAPE'],
      [['path:link-out-dir'], 'PATH_ESCAPE'],
      [['path:nope'], 'FILE_NOT_FOUND'],
      [['sort:random'], 'REQUEST_INVALID'],
    ] as const) {
      const err = await bestFile(config(), 'data', filters).then(
        () => expect.fail('should reject'),
        (e: { code: string }) => e,
      );
      expect(err.code, filters.join(' ')).to.equal(code);
    }
  });
});
