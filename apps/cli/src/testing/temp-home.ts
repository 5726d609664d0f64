import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A temporary HOME and XDG_CONFIG_HOME for one test; `env` to pass to {@link runCommand}. */
export interface TempHome {
  readonly dir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  dispose(): Promise<void>;
}

/** Creates a {@link TempHome}: no config of the developer's machine leaks into a test. */
export async function tempHome(): Promise<TempHome> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hfit-cli-home-'));
  return {
    dir,
    env: { HOME: dir, XDG_CONFIG_HOME: path.join(dir, '.config'), HFIT_SERVER: undefined, HFIT_TOKEN: undefined, NO_COLOR: undefined },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
