import { readFile } from 'node:fs/promises';
import type { ConfigPaths } from './config-paths.js';
import { findSettingKey, type CliSettings } from './setting-keys.js';

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined; // missing or unreadable: the fallback simply does not apply
  }
}

/**
 * Reads the original tool's `key: value` or `key=value` lines (or a JSON object) into settings,
 * knowing its key names (`server`, `email`, `private_key_path`, `key_path`…); unknown keys are ignored.
 */
export function parseLegacySettings(text: string): CliSettings {
  const settings: CliSettings = {};
  const set = (name: string, value: unknown): void => {
    const key = findSettingKey(name.trim());
    if (key !== undefined && key !== 'token' && typeof value === 'string' && value.trim() !== '') settings[key] = value.trim().replace(/^(["'])(.*)\1$/, '$2');
  };
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as Record<string, unknown>;
      for (const [name, value] of Object.entries(parsed)) set(name, value);
      return settings;
    } catch {
      // not JSON after all: read it as lines
    }
  }
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(#|$)/.test(line)) continue;
    const m = /^\s*([A-Za-z_][\w-]*)\s*[:=]\s*(.*)$/.exec(line);
    if (m) set(m[1]!, m[2]!);
  }
  return settings;
}

/** The original tool's settings (`~/.hfit/config`, `~/.hfit/token`), empty when absent. */
export async function readLegacySettings(paths: ConfigPaths): Promise<CliSettings> {
  const text = await readText(paths.legacySettingsFile);
  const settings = text === undefined ? {} : parseLegacySettings(text);
  const token = (await readText(paths.legacyTokenFile))?.trim();
  if (token !== undefined && token !== '') settings.token = token;
  return settings;
}
