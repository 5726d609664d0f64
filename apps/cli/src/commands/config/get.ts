import { Args } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { settingKey, SETTING_KEYS } from '../../config/setting-keys.js';
import { CliError } from '../../errors/cli-error.js';

/** What `hfit config get --json` prints. */
export interface ConfigGetResult {
  readonly key: string;
  readonly value: string;
  readonly origin: string;
  readonly from: string;
}

/** `hfit config get <key>`: the value in effect, unmasked (for scripts). */
export default class ConfigGet extends BaseCommand {
  static override summary = 'Print one setting in effect (HFIT_SERVER / HFIT_TOKEN win over the config dir)';
  static override examples = ['<%= config.bin %> config get server', 'curl -H "Authorization: Bearer $(<%= config.bin %> config get token)" …'];
  static override args = {
    key: Args.string({ required: true, description: `one of ${SETTING_KEYS.join(', ')}` }),
  };

  async run(): Promise<ConfigGetResult> {
    const { args } = await this.parse(ConfigGet);
    const key = settingKey(args.key);
    const setting = (await this.settings())[key];
    if (setting === undefined) throw new CliError(`${key} is not set`, { code: 'SETTING_NOT_SET', hint: `run \`hfit config set ${key} <value>\`` });
    this.output.line(setting.value);
    return { key, value: setting.value, origin: setting.origin, from: setting.from };
  }
}
