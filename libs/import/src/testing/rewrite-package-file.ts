import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest } from '@hfit/contracts';

const MANIFEST = path.join('METADATA', 'manifest.json');

/** Reads a package's manifest. */
export async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8')) as Manifest;
}

/** Replaces a package's manifest. */
export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await writeFile(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Changes a package file and updates its size and sha256 in the manifest, giving a package that
 * passes verification but holds what the test wants (e.g. a statement that fails).
 */
export async function rewritePackageFile(dir: string, file: string, edit: (text: string) => string): Promise<void> {
  const full = path.join(dir, ...file.split('/'));
  const text = edit(await readFile(full, 'utf8'));
  await writeFile(full, text);
  const manifest = await readManifest(dir);
  const entry = manifest.files.find((f) => f.path === file);
  if (!entry) throw new Error(`${file} is not in the manifest`);
  const bytes = Buffer.from(text, 'utf8');
  const files = manifest.files.map((f) => (f === entry ? { ...f, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') } : f));
  await writeManifest(dir, { ...manifest, files });
}
