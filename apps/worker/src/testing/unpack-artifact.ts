import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { ArchiveFormat, Manifest } from '@hfit/contracts';

const run = promisify(execFile);

/** An artifact saved and unpacked with the stock tools (tar, unzip), for checking its content. */
export interface UnpackedArtifact {
  readonly file: string;
  readonly sha256: string;
  /** Folder that holds the package's top folder. */
  readonly dir: string;
  /** Archive entries as the stock tool lists them. */
  readonly entries: string[];
  readonly manifest: Manifest;
}

/**
 * Saves `body` to a temp folder under `parentDir` (pass the test's own folder, so its cleanup
 * removes it), hashes it, lists and unpacks it with tar or unzip.
 */
export async function unpackArtifact(body: Readable, format: ArchiveFormat, packageName: string, parentDir: string): Promise<UnpackedArtifact> {
  const dir = await mkdtemp(path.join(parentDir, 'hfit-unpack-'));
  const file = path.join(dir, `artifact.${format}`);
  const hash = createHash('sha256');
  body.on('data', (c: Buffer) => hash.update(c));
  await pipeline(body, createWriteStream(file));
  const out = path.join(dir, 'out');
  await run('mkdir', ['-p', out]);
  let entries: string[];
  if (format === 'tar.gz') {
    entries = (await run('tar', ['-tzf', file])).stdout.split('\n').filter(Boolean);
    await run('tar', ['-xzf', file, '-C', out]);
  } else {
    entries = (await run('unzip', ['-Z1', file])).stdout.split('\n').filter(Boolean);
    await run('unzip', ['-q', file, '-d', out]);
  }
  const manifest = JSON.parse(await readFile(path.join(out, packageName, 'METADATA/manifest.json'), 'utf8')) as Manifest;
  return { file, sha256: hash.digest('hex'), dir: out, entries, manifest };
}

/** sha256 of a file. */
export async function sha256File(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}
