import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { CliError } from '../errors/cli-error.js';
import type { ConfigPaths } from './config-paths.js';
import { SETTING_KEYS, type CliSettings, type SettingKey } from './setting-keys.js';

/** Mode of the token file: readable by its owner only. */
export const TOKEN_FILE_MODE = 0o600;

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes `text` to `file` through a temporary file and a rename, with `mode` set before the rename. */
async function writeAtomically(file: string, text: string, mode: number): Promise<void> {
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, { mode });
    await chmod(temp, mode); // the umask may have narrowed `mode` at creation; set it exactly
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * The CLI's own settings: `config.json` (server, email, private key path) and the token in a file
 * of its own with mode 0600, both in {@link ConfigPaths.dir} (created with mode 0700).
 */
export class SettingsFile {
  constructor(private readonly paths: ConfigPaths) {}

  /** The stored settings (empty when nothing was stored yet). */
  async read(): Promise<CliSettings> {
    const settings: CliSettings = {};
    const text = await readText(this.paths.settingsFile);
    if (text !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new CliError(`${this.paths.settingsFile} is not valid JSON`, { code: 'CONFIG_FILE_INVALID', hint: 'fix or delete it, then run `hfit config set …` again' });
      }
      if (parsed !== null && typeof parsed === 'object') {
        for (const key of SETTING_KEYS) {
          const value = (parsed as Record<string, unknown>)[key];
          if (key !== 'token' && typeof value === 'string' && value !== '') settings[key] = value;
        }
      }
    }
    const token = (await readText(this.paths.tokenFile))?.trim();
    if (token !== undefined && token !== '') settings.token = token;
    return settings;
  }

  /** Stores `changes` over the current settings (`undefined` removes a key). */
  async update(changes: Partial<Record<SettingKey, string | undefined>>): Promise<CliSettings> {
    const current = await this.read();
    const next: CliSettings = { ...current };
    for (const [key, value] of Object.entries(changes) as [SettingKey, string | undefined][]) {
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    await mkdir(this.paths.dir, { recursive: true, mode: 0o700 });
    const { token, ...rest } = next;
    await writeAtomically(this.paths.settingsFile, `${JSON.stringify(rest, null, 2)}\n`, 0o600);
    if ('token' in changes) {
      if (token === undefined) await rm(this.paths.tokenFile, { force: true });
      else await writeAtomically(this.paths.tokenFile, `${token}\n`, TOKEN_FILE_MODE);
    }
    return next;
  }
}
