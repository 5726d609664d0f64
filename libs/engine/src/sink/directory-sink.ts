import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import type { PackageSink } from './package-sink.js';

/**
 * Writes a package into `<dir>/<packageName>/`. Files go to a hidden staging folder beside it and
 * replace the previous package folder only on commit, so a failed build leaves the old one intact.
 */
export class DirectorySink implements PackageSink {
  readonly finalDir: string;
  private readonly stagingDir: string;

  constructor(dir: string, packageName: string) {
    this.finalDir = path.resolve(dir, packageName);
    this.stagingDir = path.resolve(dir, `.${packageName}.partial-${randomBytes(4).toString('hex')}`);
  }

  async create(rel: string): Promise<Writable> {
    const target = path.join(this.stagingDir, ...rel.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    const stream = createWriteStream(target, { flags: 'wx' });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return stream;
  }

  async commit(): Promise<void> {
    await mkdir(this.stagingDir, { recursive: true });
    const old = `${this.stagingDir}.old`;
    await rename(this.finalDir, old).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    try {
      await rename(this.stagingDir, this.finalDir);
    } catch (err) {
      // Put the previous package back: a failed publish must not lose what was there.
      await rename(old, this.finalDir).catch(() => undefined);
      throw err;
    }
    await rm(old, { recursive: true, force: true });
  }

  async abort(): Promise<void> {
    await rm(this.stagingDir, { recursive: true, force: true });
  }
}
