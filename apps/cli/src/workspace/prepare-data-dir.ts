import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The lines `hfit prepare` puts in `hfit-data/.gitignore`: ignore packages, keep templates. */
export const DATA_DIR_GITIGNORE_LINES = ['*', '!.gitignore', '!*.yaml'] as const;

/** What {@link prepareDataDir} did. */
export interface PreparedDataDir {
  /** The folder, absolute. */
  readonly dir: string;
  /** False when it existed already. */
  readonly created: boolean;
  readonly gitignore: string;
  /** `created`, `updated` (missing lines appended) or `unchanged`. */
  readonly gitignoreStatus: 'created' | 'updated' | 'unchanged';
}

/**
 * Creates the folder packages are unpacked into (default `hfit-data/`) with a `.gitignore` that
 * ignores everything but itself and the templates (`*.yaml`). An existing `.gitignore` keeps its
 * lines; missing ones are appended.
 */
export async function prepareDataDir(dirArg: string): Promise<PreparedDataDir> {
  const dir = path.resolve(dirArg);
  const existed = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  await mkdir(dir, { recursive: true });
  const gitignore = path.join(dir, '.gitignore');
  let current: string | undefined;
  try {
    current = await readFile(gitignore, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (current === undefined) {
    await writeFile(gitignore, `# hfit: downloaded packages stay out of git, templates (*.yaml) are kept\n${DATA_DIR_GITIGNORE_LINES.join('\n')}\n`);
    return { dir, created: !existed, gitignore, gitignoreStatus: 'created' };
  }
  const present = new Set(current.split(/\r?\n/).map((l) => l.trim()));
  const missing = DATA_DIR_GITIGNORE_LINES.filter((l) => !present.has(l));
  if (missing.length === 0) return { dir, created: !existed, gitignore, gitignoreStatus: 'unchanged' };
  await writeFile(gitignore, `${current}${current.endsWith('\n') || current === '' ? '' : '\n'}${missing.join('\n')}\n`);
  return { dir, created: !existed, gitignore, gitignoreStatus: 'updated' };
}
