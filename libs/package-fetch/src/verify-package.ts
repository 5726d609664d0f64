import { createHash } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { HfitError, ManifestSchema, zodIssueMessage } from '@hfit/contracts';
import type { Manifest } from '@hfit/contracts';
import { hashFile } from './hash-file.js';
import { PACKAGE_MANIFEST_PATH } from './package-manifest-path.js';
import { relativePathProblem } from './relative-path-problem.js';

/** What {@link verifyPackage} found. */
export interface PackageVerification {
  readonly manifest: Manifest;
  /**
   * One line per problem, each starting with the `/`-separated path it concerns: files of the
   * manifest that are missing or differ in size or sha256, files that are not in the manifest,
   * entries that are not regular files. Empty when the folder is exactly what the manifest lists.
   */
  readonly problems: string[];
}

async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, ...PACKAGE_MANIFEST_PATH.split('/'));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    throw new HfitError('FILE_NOT_FOUND', `${file} does not exist: is ${dir} an unpacked hfit package?`, { cause: e });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new HfitError('FORMAT_UNSUPPORTED', `${file} is not JSON (${(e as Error).message}): download and unpack the package again`, { cause: e });
  }
  const parsed = ManifestSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HfitError('FORMAT_UNSUPPORTED', `${file} is not a manifest this hfit version reads: ${issue === undefined ? 'invalid' : `${issue.path.map(String).join('.') || '(the whole file)'} ${zodIssueMessage(issue)}`}`);
  }
  return parsed.data;
}

/** Every entry under `dir` that is not a folder, as `/`-separated paths, with whether it is a regular file. */
async function listFiles(dir: string, prefix = ''): Promise<Map<string, boolean>> {
  const found = new Map<string, boolean>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    // Dirent types come from lstat: a link to a folder is not entered.
    if (entry.isDirectory()) for (const [p, regular] of await listFiles(path.join(dir, entry.name), rel)) found.set(p, regular);
    else found.set(rel, entry.isFile());
  }
  return found;
}

/**
 * Checks an unpacked package folder against its `METADATA/manifest.json`: re-hashes every file the
 * manifest lists (streaming) and compares bytes and sha256, and lists files the manifest does not
 * know. Paths in the manifest that are unsafe (absolute, `..`) are reported, never opened.
 * @throws HfitError `FILE_NOT_FOUND` when there is no manifest, `FORMAT_UNSUPPORTED` when it is
 *   not a valid manifest; system errors reading the folder as they are.
 */
export async function verifyPackage(dir: string): Promise<PackageVerification> {
  const manifest = await readManifest(dir);
  const onDisk = await listFiles(dir);
  const problems: string[] = [];
  const listed = new Set<string>([PACKAGE_MANIFEST_PATH]);
  for (const file of manifest.files) {
    const problem = relativePathProblem(file.path);
    if (problem !== undefined) {
      problems.push(`${file.path}: listed in the manifest, but the path ${problem}`);
      continue;
    }
    if (listed.has(file.path)) {
      problems.push(`${file.path}: listed twice in the manifest`);
      continue;
    }
    listed.add(file.path);
    const regular = onDisk.get(file.path);
    if (regular === undefined) {
      problems.push(`${file.path}: missing`);
      continue;
    }
    if (!regular) {
      problems.push(`${file.path}: not a regular file`);
      continue;
    }
    const full = path.join(dir, ...file.path.split('/'));
    const size = (await lstat(full)).size;
    if (size !== file.bytes) {
      problems.push(`${file.path}: ${size} bytes, the manifest says ${file.bytes}`);
      continue;
    }
    const hash = createHash('sha256');
    await hashFile(hash, full);
    const sha256 = hash.digest('hex');
    if (sha256 !== file.sha256) problems.push(`${file.path}: sha256 ${sha256}, the manifest says ${file.sha256}`);
  }
  const extra = [...onDisk].filter(([p]) => !listed.has(p)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [p, regular] of extra) problems.push(`${p}: not in the manifest${regular ? '' : ' (and not a regular file)'}`);
  return { manifest, problems };
}
