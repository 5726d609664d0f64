import { usageError } from '../errors/cli-error.js';

/** The settings `hfit config` manages. */
export const SETTING_KEYS = ['server', 'email', 'privateKeyPath', 'token'] as const;

/** One of {@link SETTING_KEYS}. */
export type SettingKey = (typeof SETTING_KEYS)[number];

/** Settings as stored: any may be missing. */
export type CliSettings = Partial<Record<SettingKey, string>>;

/** Other spellings accepted on the command line and in the original tool's config file. */
const ALIASES: Readonly<Record<string, SettingKey>> = {
  url: 'server',
  user: 'email',
  'private-key-path': 'privateKeyPath',
  private_key_path: 'privateKeyPath',
  privatekeypath: 'privateKeyPath',
  key: 'privateKeyPath',
  key_path: 'privateKeyPath',
  keypath: 'privateKeyPath',
};

/** The key `name` stands for, or undefined. */
export function findSettingKey(name: string): SettingKey | undefined {
  const exact = SETTING_KEYS.find((k) => k === name);
  return exact ?? ALIASES[name] ?? ALIASES[name.toLowerCase()] ?? SETTING_KEYS.find((k) => k.toLowerCase() === name.toLowerCase());
}

/** The key `name` stands for; a usage error listing the keys otherwise. */
export function settingKey(name: string): SettingKey {
  const key = findSettingKey(name);
  if (key === undefined) throw usageError(`unknown setting "${name}"`, `use one of ${SETTING_KEYS.join(', ')}`);
  return key;
}

/** Checks and normalises a value before it is stored (a server must be an http(s) URL). */
export function normaliseSetting(key: SettingKey, value: string): string {
  const v = value.trim();
  if (v === '') throw usageError(`${key} cannot be empty`);
  if (key === 'server') {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      throw usageError(`server "${v}" is not a URL`, 'give the API address, e.g. https://hfit.internal:8080');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`server "${v}" must be an http:// or https:// URL`);
    return url.href.replace(/\/+$/, '');
  }
  if (key === 'token' && /\s/.test(v)) throw usageError('a token cannot contain spaces or line breaks');
  return v;
}

/** A token shortened for display: its first 4 characters. */
export function maskSecret(value: string): string {
  return value.length <= 8 ? '****' : `${value.slice(0, 4)}…(${value.length} chars)`;
}
