import path from 'node:path';
import type { CliEnvironment } from './cli-environment.js';

/** Where the CLI keeps its settings, and where the original tool kept them. */
export interface ConfigPaths {
  /** `$XDG_CONFIG_HOME/hfit`, or `~/.config/hfit`. */
  readonly dir: string;
  /** `<dir>/config.json`: server, email, private key path. */
  readonly settingsFile: string;
  /** `<dir>/token`, mode 0600. */
  readonly tokenFile: string;
  /** The original tool's `~/.hfit/config`, read as a fallback. */
  readonly legacySettingsFile: string;
  /** The original tool's `~/.hfit/token`, read as a fallback. */
  readonly legacyTokenFile: string;
}

/**
 * The {@link ConfigPaths} for an environment. A relative `XDG_CONFIG_HOME` is ignored, as the XDG
 * Base Directory specification asks.
 */
export function configPaths(env: Pick<CliEnvironment, 'xdgConfigHome' | 'home'>): ConfigPaths {
  const base = env.xdgConfigHome !== undefined && path.isAbsolute(env.xdgConfigHome) ? env.xdgConfigHome : path.join(env.home, '.config');
  const dir = path.join(base, 'hfit');
  const legacy = path.join(env.home, '.hfit');
  return {
    dir,
    settingsFile: path.join(dir, 'config.json'),
    tokenFile: path.join(dir, 'token'),
    legacySettingsFile: path.join(legacy, 'config'),
    legacyTokenFile: path.join(legacy, 'token'),
  };
}
