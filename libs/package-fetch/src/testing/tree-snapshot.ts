import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Everything under `dir`, one sorted line per entry: path, type, mode and, for files, size and
 * sha256 (for links, the target). Two equal snapshots mean nothing was created, removed or changed.
 */
export async function treeSnapshot(dir: string): Promise<string[]> {
  const lines: string[] = [];
  const walk = async (abs: string, rel: string): Promise<void> => {
    for (const name of (await readdir(abs)).sort()) {
      const full = path.join(abs, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const s = await lstat(full);
      const mode = (s.mode & 0o7777).toString(8);
      if (s.isDirectory()) {
        lines.push(`${r}/ dir ${mode}`);
        await walk(full, r);
      } else if (s.isFile()) {
        lines.push(`${r} file ${mode} ${s.size} ${createHash('sha256').update(await readFile(full)).digest('hex')}`);
      } else if (s.isSymbolicLink()) {
        lines.push(`${r} link -> ${await readlink(full)}`);
      } else {
        lines.push(`${r} other ${mode}`);
      }
    }
  };
  await walk(dir, '');
  return lines;
}
