import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { VolumeConfig } from '@hfit/config';
import { isHfitError } from '@hfit/contracts';
import { expect } from 'chai';
import { openVolumeFile } from './volume-files.js';

describe('openVolumeFile on special files', () => {
  let root: string;
  let volume: VolumeConfig;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'hfit-vol-'));
    volume = { name: 'vol', root, symlinks: 'confine' };
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function code(rel: string): Promise<string> {
    try {
      const opened = await openVolumeFile(volume, rel);
      await opened.handle.close();
      return 'opened';
    } catch (err) {
      if (isHfitError(err)) return `${err.code}: ${err.message}`;
      throw err;
    }
  }

  it('refuses a named pipe at once instead of blocking until a writer appears', async () => {
    execFileSync('mkfifo', [path.join(root, 'pipe.txt')]);
    const t0 = Date.now();
    expect(await code('pipe.txt')).to.match(/^FILE_NOT_FOUND: .*not a regular file/);
    expect(Date.now() - t0).to.be.below(2000);
  });

  it('calls a symlink loop a loop under confine, and still reads regular files', async () => {
    await symlink(path.join(root, 'b'), path.join(root, 'a'));
    await symlink(path.join(root, 'a'), path.join(root, 'b'));
    expect(await code('a')).to.match(/^FILE_NOT_FOUND: .*symlink loop/);
    await writeFile(path.join(root, 'ok.txt'), 'fine');
    expect(await code('ok.txt')).to.equal('opened');
  });
});
