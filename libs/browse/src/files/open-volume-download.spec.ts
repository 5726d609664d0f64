import { readdirSync } from 'node:fs';
import { buffer } from 'node:stream/consumers';
import { expect } from 'chai';
import type { VolumeConfig } from '@hfit/config';
import { VolumeListSchema } from '@hfit/contracts';
import { createVolumeFixture, type VolumeFixture } from '../testing/volume-fixture.js';
import { fileExists } from './file-exists.js';
import { listVolumes } from './list-volumes.js';
import { openVolumeDownload } from './open-volume-download.js';
import { volumeExists } from './volume-exists.js';

const openDescriptors = () => readdirSync('/proc/self/fd').length;

/** Paths that must never be served, whatever the symlink policy. */
function escapes(fx: VolumeFixture): string[] {
  return ['../outside/secret.txt', 'sub/../../outside/secret.txt', '..', fx.outside + '/secret.txt', '/etc/passwd', 'a.txt\0.png', 'sub\\b.txt', 'link-out.txt', 'link-out-dir/secret.txt'];
}

describe('volume downloads', () => {
  let fx: VolumeFixture;
  const config = (symlinks: VolumeConfig['symlinks'] = 'confine') => ({ volumes: [fx.volume(symlinks), fx.volume('deny', 'strict')] });

  beforeEach(() => {
    fx = createVolumeFixture();
  });
  afterEach(() => fx.remove());

  describe('openVolumeDownload', () => {
    it('opens a file with its name, size and time; the stream reads it and closes the file', async () => {
      const before = openDescriptors();
      const d = await openVolumeDownload(config(), 'data', 'sub/deep/c.log');
      expect({ name: d.name, path: d.path, size: d.size, modtime: d.modtime }).to.deep.equal({
        name: 'c.log',
        path: 'sub/deep/c.log',
        size: 2048,
        modtime: new Date(fx.now - 3_600_000).toISOString(),
      });
      const stream = d.createReadStream();
      expect((await buffer(stream)).toString()).to.equal('c'.repeat(2048));
      await new Promise<void>((resolve) => (stream.closed ? resolve() : stream.once('close', () => resolve())));
      expect(openDescriptors()).to.equal(before);
      await d.close();
    });

    it('streams a byte range', async () => {
      const d = await openVolumeDownload(config(), 'data', 'a.txt');
      expect((await buffer(d.createReadStream({ start: 1, end: 3 }))).toString()).to.equal('ell');
      expect(() => d.createReadStream()).to.throw(/already/);
      await d.close();
    });

    it('close() without streaming releases the file; twice is fine', async () => {
      const before = openDescriptors();
      const d = await openVolumeDownload(config(), 'data', 'big.bin');
      expect(openDescriptors()).to.equal(before + 1);
      await d.close();
      await d.close();
      expect(openDescriptors()).to.equal(before);
    });

    it('serves a symlink whose target is inside the root under confine, never under deny', async () => {
      const d = await openVolumeDownload(config(), 'data', 'link-in.txt');
      expect(d.size).to.equal(100);
      expect((await buffer(d.createReadStream())).toString()).to.equal('b'.repeat(100));
      expect((await buffer((await openVolumeDownload(config(), 'data', 'link-dir/deep/c.log')).createReadStream())).length).to.equal(2048);
      for (const p of ['link-in.txt', 'link-dir/b.txt']) {
        const err = await openVolumeDownload(config(), 'strict', p).then(
          () => expect.fail('should reject'),
          (e: { code: string }) => e,
        );
        expect(err.code, p).to.equal('PATH_ESCAPE');
      }
    });

    it('refuses traversal, absolute, NUL, backslash paths and symlinks leading out with PATH_ESCAPE', async () => {
      for (const volume of ['data', 'strict']) {
        for (const p of escapes(fx)) {
          const err = await openVolumeDownload(config(), volume, p).then(
            () => expect.fail(`should reject ${p}`),
            (e: { code: string; message: string }) => e,
          );
          expect(err.code, `${volume}: ${JSON.stringify(p)}`).to.equal('PATH_ESCAPE');
          expect(err.message).not.to.contain('TOP SECRET');
        }
      }
    });

    it('answers FILE_NOT_FOUND for missing files, folders, pipes (without blocking on them), loops, and URL-encoded names it takes literally', async () => {
      for (const p of ['missing.txt', 'sub', 'sub/deep/', '%2e%2e%2foutside%2fsecret.txt', '..%2fa.txt', 'dangling', 'fifo', 'loop-a']) {
        const err = await openVolumeDownload(config(), 'data', p).then(
          () => expect.fail(`should reject ${p}`),
          (e: { code: string }) => e,
        );
        expect(err.code, p).to.equal('FILE_NOT_FOUND');
      }
      expect((await buffer((await openVolumeDownload(config(), 'data', '%2e%2e/lit.txt')).createReadStream())).toString()).to.equal('literal');
      // Under deny a loop is a symlink like any other.
      const loop = await openVolumeDownload(config(), 'strict', 'loop-a').catch((e: { code: string }) => e);
      expect((loop as { code: string }).code).to.equal('PATH_ESCAPE');
    });

    it('names the configured volumes for an unknown one', async () => {
      const err = await openVolumeDownload(config(), 'nope', 'a.txt').then(
        () => expect.fail('should reject'),
        (e: { code: string; message: string }) => e,
      );
      expect(err.code).to.equal('VOLUME_UNKNOWN');
      expect(err.message).to.contain('data').and.to.contain('strict');
    });
  });

  describe('fileExists', () => {
    it('is true exactly for what a download would serve', async () => {
      expect(await fileExists(config(), 'data', 'a.txt')).to.equal(true);
      expect(await fileExists(config(), 'data', 'link-in.txt')).to.equal(true);
      expect(await fileExists(config(), 'strict', 'sub/b.txt')).to.equal(true);
      for (const p of ['missing.txt', 'sub', 'dangling', 'fifo', 'loop-a', '%2e%2e%2fa.txt']) expect(await fileExists(config(), 'data', p), p).to.equal(false);
      expect(await fileExists(config(), 'nope', 'a.txt')).to.equal(false);
    });

    it('still throws PATH_ESCAPE for traversal and escaping symlinks, and leaks no descriptor', async () => {
      const before = openDescriptors();
      for (const p of escapes(fx)) {
        const err = await fileExists(config(), 'data', p).then(
          () => expect.fail(`should reject ${p}`),
          (e: { code: string }) => e,
        );
        expect(err.code, p).to.equal('PATH_ESCAPE');
      }
      await fileExists(config(), 'data', 'a.txt');
      expect(openDescriptors()).to.equal(before);
    });
  });

  describe('listVolumes / volumeExists', () => {
    it('lists names only, never roots', () => {
      expect(listVolumes(config())).to.deep.equal([{ name: 'data' }, { name: 'strict' }]);
      expect(VolumeListSchema.parse(listVolumes(config()))).to.deep.equal(listVolumes(config()));
      expect(JSON.stringify(listVolumes(config()))).not.to.contain(fx.root);
      expect(volumeExists(config(), 'strict')).to.equal(true);
      expect(volumeExists(config(), 'nope')).to.equal(false);
    });
  });
});
