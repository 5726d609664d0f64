import type { CliEnvironment } from './cli-environment.js';
import type { ConfigPaths } from './config-paths.js';
import { resolveSettings, type SettingOrigin } from './resolve-settings.js';
import { maskSecret, SETTING_KEYS, type SettingKey } from './setting-keys.js';

/** One row of `hfit config list`. */
export interface SettingsListingEntry {
  readonly key: SettingKey;
  /** The value; the token is masked. Absent when not set. */
  readonly value?: string;
  readonly origin?: SettingOrigin;
  /** The variable or file it comes from. */
  readonly from?: string;
}

/** `hfit config list`: every setting, where it comes from, and where the CLI stores them. */
export interface SettingsListing {
  readonly configDir: string;
  readonly settings: readonly SettingsListingEntry[];
  /** The same as text lines. */
  readonly lines: readonly string[];
}

/** Reads the settings in effect for display (the token masked). */
export async function settingsListing(paths: ConfigPaths, env: CliEnvironment): Promise<SettingsListing> {
  const resolved = await resolveSettings(paths, env);
  const settings = SETTING_KEYS.map((key): SettingsListingEntry => {
    const r = resolved[key];
    if (r === undefined) return { key };
    return { key, value: key === 'token' ? maskSecret(r.value) : r.value, origin: r.origin, from: r.from };
  });
  const width = Math.max(...SETTING_KEYS.map((k) => k.length));
  const lines = [
    ...settings.map((s) => `${s.key.padEnd(width)}  ${s.value === undefined ? '(not set)' : `${s.value}  (${s.from})`}`),
    `config dir: ${paths.dir}`,
  ];
  return { configDir: paths.dir, settings, lines };
}
