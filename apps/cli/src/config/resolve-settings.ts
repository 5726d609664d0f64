import type { CliEnvironment } from './cli-environment.js';
import type { ConfigPaths } from './config-paths.js';
import { readLegacySettings } from './legacy-settings.js';
import { SettingsFile } from './settings-file.js';
import { SETTING_KEYS, type SettingKey } from './setting-keys.js';

/** Where an effective setting came from. */
export type SettingOrigin = 'env' | 'config' | 'legacy';

/** One effective setting and its origin. */
export interface ResolvedSetting {
  readonly value: string;
  readonly origin: SettingOrigin;
  /** The variable or file it was read from. */
  readonly from: string;
}

/** Every setting in effect (a key is absent when set nowhere). */
export type ResolvedSettings = Partial<Record<SettingKey, ResolvedSetting>>;

/**
 * The settings in effect: `HFIT_SERVER` / `HFIT_TOKEN` first, then the CLI's config dir, then the
 * original tool's `~/.hfit` files.
 */
export async function resolveSettings(paths: ConfigPaths, env: CliEnvironment): Promise<ResolvedSettings> {
  const [own, legacy] = await Promise.all([new SettingsFile(paths).read(), readLegacySettings(paths)]);
  const resolved: ResolvedSettings = {};
  for (const key of SETTING_KEYS) {
    const fromEnv = key === 'server' ? env.server : key === 'token' ? env.token : undefined;
    if (fromEnv !== undefined) resolved[key] = { value: fromEnv, origin: 'env', from: key === 'server' ? 'HFIT_SERVER' : 'HFIT_TOKEN' };
    else if (own[key] !== undefined) resolved[key] = { value: own[key], origin: 'config', from: key === 'token' ? paths.tokenFile : paths.settingsFile };
    else if (legacy[key] !== undefined) resolved[key] = { value: legacy[key], origin: 'legacy', from: key === 'token' ? paths.legacyTokenFile : paths.legacySettingsFile };
  }
  return resolved;
}
