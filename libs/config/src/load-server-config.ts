import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HfitError } from '@hfit/contracts';
import type { LoadedServerConfig } from './loaded-server-config.js';
import { parseServerConfig } from './parse-server-config.js';

/** Options of {@link loadServerConfig}. */
export interface LoadServerConfigOptions {
  /** Config file; default: the `HFIT_CONFIG` environment variable. */
  readonly path?: string | undefined;
  /** Environment for `HFIT_CONFIG` and `${VAR}` interpolation; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** Check that every volume root is an existing directory. Default true (fail fast at boot). */
  readonly checkVolumeRoots?: boolean | undefined;
}

/**
 * Reads, interpolates and validates the server config file. This is the only place in hfit that
 * reads `process.env`; everything else gets its values injected from the result.
 * Relative volume roots are resolved against the config file's directory.
 * @throws HfitError CONFIG_INVALID when no file is given, it cannot be read, or any field is bad
 *   (all of them listed, with lines; never with values).
 */
export function loadServerConfig(options: LoadServerConfigOptions = {}): LoadedServerConfig {
  const env = options.env ?? process.env;
  const given = options.path ?? env['HFIT_CONFIG'];
  if (given === undefined || given === '') {
    throw new HfitError('CONFIG_INVALID', 'no server config file given: pass its path (--config) or set HFIT_CONFIG');
  }
  const file = path.resolve(given);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'permission denied' : (code ?? 'read error');
    throw new HfitError('CONFIG_INVALID', `cannot read server config ${file}: ${why}; check the path given or HFIT_CONFIG`, {
      cause: e,
    });
  }
  return parseServerConfig(text, env, {
    path: file,
    baseDir: path.dirname(file),
    checkVolumeRoots: options.checkVolumeRoots ?? true,
  });
}
