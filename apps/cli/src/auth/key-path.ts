import path from 'node:path';
import { CliError } from '../errors/cli-error.js';
import { fileExists } from '../workspace/file-exists.js';

/** Where the login key path came from. */
export type KeyPathOrigin = 'flag' | 'config' | 'default';

/** The private key file `hfit login` uses, and why. */
export interface KeyPath {
  readonly path: string;
  readonly origin: KeyPathOrigin;
}

/** The keys tried when none is given, in order (the order ssh tries its defaults in, newest type first). */
export const DEFAULT_KEY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa'] as const;

/** `~/x` and `~` resolved against `home`, then made absolute. */
export function expandHome(file: string, home: string): string {
  if (file === '~') return home;
  if (file.startsWith('~/')) return path.join(home, file.slice(2));
  return path.resolve(file);
}


/**
 * The login key: `--key`, else the `privateKeyPath` setting (`hfit config set key <path>`), else
 * the first of `~/.ssh/id_ed25519`, `~/.ssh/id_ecdsa`, `~/.ssh/id_rsa` that exists. A path given
 * is returned even when missing (loading it says so); none found is a one-line error.
 */
export async function resolveKeyPath(options: { readonly flag?: string | undefined; readonly setting?: string | undefined; readonly home: string }): Promise<KeyPath> {
  if (options.flag !== undefined) return { path: expandHome(options.flag, options.home), origin: 'flag' };
  if (options.setting !== undefined) return { path: expandHome(options.setting, options.home), origin: 'config' };
  const candidates = DEFAULT_KEY_FILES.map((name) => path.join(options.home, '.ssh', name));
  for (const candidate of candidates) if (await fileExists(candidate)) return { path: candidate, origin: 'default' };
  throw new CliError(`no private key found: none of ${DEFAULT_KEY_FILES.map((n) => `~/.ssh/${n}`).join(', ')} exists`, {
    code: 'KEY_NOT_FOUND',
    hint: 'give one with --key <path>, or `hfit config set key <path>` (create one with `ssh-keygen -t ed25519`)',
  });
}
