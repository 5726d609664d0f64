import path from 'node:path';
import { Args } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { maskSecret, normaliseSetting, settingKey, SETTING_KEYS } from '../../config/setting-keys.js';
import { SettingsFile } from '../../config/settings-file.js';

/** What `hfit config set --json` prints. */
export interface ConfigSetResult {
  readonly key: string;
  /** The stored value (the token masked). */
  readonly value: string;
  readonly file: string;
  /** Set when an environment variable overrides what was stored. */
  readonly overriddenBy?: string;
}

/** `hfit config set <key> <value>`. */
export default class ConfigSet extends BaseCommand {
  static override summary = 'Store one setting: server, email, privateKeyPath or token';
  static override description = `The token goes to its own file (mode 0600) in the config dir; the rest to config.json. HFIT_SERVER and HFIT_TOKEN, when set, override what is stored. \`user\` is another name of email (your user name on the server, the one \`hfit login\` uses), \`key\` of privateKeyPath (the key \`hfit login\` signs with); \`hfit login\` stores token and user itself.`;
  static override examples = [
    '<%= config.bin %> config set server https://hfit.internal:8080',
    '<%= config.bin %> config set token "$(cat ~/hfit-token.txt)"',
    '<%= config.bin %> config set privateKeyPath ~/.ssh/id_ed25519',
    '<%= config.bin %> config set user alice',
  ];
  static override args = {
    key: Args.string({ required: true, description: `one of ${SETTING_KEYS.join(', ')}` }),
    value: Args.string({ required: true, description: 'the value' }),
  };

  async run(): Promise<ConfigSetResult> {
    const { args } = await this.parse(ConfigSet);
    const key = settingKey(args.key);
    let value = normaliseSetting(key, args.value);
    if (key === 'privateKeyPath') value = path.resolve(value);
    await new SettingsFile(this.paths).update({ [key]: value });
    const file = key === 'token' ? this.paths.tokenFile : this.paths.settingsFile;
    const shown = key === 'token' ? maskSecret(value) : value;
    const override = key === 'server' && this.env.server !== undefined ? 'HFIT_SERVER' : key === 'token' && this.env.token !== undefined ? 'HFIT_TOKEN' : undefined;
    this.output.line(`${key} = ${shown} (${file})`);
    if (override !== undefined) this.output.notice(`${override} is set and overrides this value`);
    return { key, value: shown, file, ...(override === undefined ? {} : { overriddenBy: override }) };
  }
}
