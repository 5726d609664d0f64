import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { processAlive } from './process-alive.js';

/** Mode of every unpacked file (`rw-r--r--`): never executable, setuid or setgid. */
export const UNPACKED_FILE_MODE = 0o644;

/** Mode of every unpacked folder (`rwxr-xr-x`). */
export const UNPACKED_DIR_MODE = 0o755;

/** Creates the file, failing if anything exists at that path, and never following a link there. */
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `.<packageName>.<role>-<pid>-<random>`: hidden, and telling which process made it. */
function helperName(packageName: string, role: 'unpacking' | 'replaced'): string {
  return `.${packageName}.${role}-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/**
 * The hidden folder an unpack writes into, next to the package folder it will replace
 * (`<targetDir>/.<packageName>.unpacking-<pid>-<random>`), so that the package folder only ever
 * changes by renames on one file system: it is replaced only once the new one is complete.
 * The folder is private (0700) while it fills; files are created exclusively (`O_EXCL`, and
 * `O_NOFOLLOW` where the platform has it), so nothing outside it is ever opened for writing.
 */
export class StagingFolder {
  readonly #dirs = new Set<string>();

  private constructor(
    /** The staging folder. */
    readonly dir: string,
    /** The package folder it becomes. */
    readonly target: string,
    private readonly packageName: string,
  ) {}

  /** Creates `targetDir` if needed, removes helpers left by dead processes, and creates a staging folder. */
  static async create(targetDir: string, packageName: string): Promise<StagingFolder> {
    await mkdir(targetDir, { recursive: true });
    await removeLeftovers(targetDir, packageName);
    const dir = path.join(targetDir, helperName(packageName, 'unpacking'));
    await mkdir(dir, { mode: 0o700 });
    return new StagingFolder(dir, path.join(targetDir, packageName), packageName);
  }

  /** Creates the folder at `segments` (and its parents) inside the staging folder. */
  async directory(segments: readonly string[]): Promise<void> {
    for (let i = 1; i <= segments.length; i++) {
      const rel = segments.slice(0, i).join('/');
      if (this.#dirs.has(rel)) continue;
      await mkdir(path.join(this.dir, ...segments.slice(0, i)), { mode: 0o700 }).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
      this.#dirs.add(rel);
    }
  }

  /**
   * Writes a new file at `segments` from `data`, creating its folders. `onChunk` sees each chunk
   * before it is written and may throw to stop (a size check).
   */
  async file(segments: readonly string[], data: AsyncIterable<Uint8Array>, onChunk: (chunk: Uint8Array) => void): Promise<void> {
    await this.directory(segments.slice(0, -1));
    const handle = await open(path.join(this.dir, ...segments), CREATE_FLAGS, UNPACKED_FILE_MODE);
    try {
      for await (const chunk of data) {
        onChunk(chunk);
        await handle.write(chunk);
      }
      // The umask may have removed bits at creation: set the exact mode.
      await handle.chmod(UNPACKED_FILE_MODE);
    } finally {
      await handle.close();
    }
  }

  /**
   * Makes the staging folder the package folder: sets the folder modes, moves an existing package
   * folder aside, renames the staging folder into its place and removes the old one. If the last
   * rename fails, the old folder is moved back.
   */
  async commit(): Promise<void> {
    for (const rel of this.#dirs) await chmod(path.join(this.dir, ...rel.split('/')), UNPACKED_DIR_MODE);
    await chmod(this.dir, UNPACKED_DIR_MODE);
    const aside = path.join(path.dirname(this.target), helperName(this.packageName, 'replaced'));
    let moved = false;
    try {
      await rename(this.target, aside);
      moved = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    try {
      await rename(this.dir, this.target);
    } catch (e) {
      if (moved) await rename(aside, this.target);
      throw e;
    }
    // The new package is in place: an old folder that cannot be removed now is a leftover the next
    // unpack removes, not a failure of this one.
    if (moved) await rm(aside, { recursive: true, force: true }).catch(() => undefined);
  }

  /** Removes the staging folder and everything in it. */
  async discard(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * Removes `.<packageName>.unpacking-*` and `.<packageName>.replaced-*` folders of processes that no
 * longer run (killed in the middle of an unpack); those of live processes may be in use.
 */
async function removeLeftovers(targetDir: string, packageName: string): Promise<void> {
  const pattern = new RegExp(`^\\.${escapeRegExp(packageName)}\\.(?:unpacking|replaced)-(\\d+)-[0-9a-f]+$`);
  for (const name of await readdir(targetDir)) {
    const pid = pattern.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || processAlive(Number(pid))) continue;
    await rm(path.join(targetDir, name), { recursive: true, force: true });
  }
}
