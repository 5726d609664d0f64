import path from 'node:path';
import { Args } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { normaliseSetting } from '../../config/setting-keys.js';
import { SettingsFile } from '../../config/settings-file.js';
import { usageError } from '../../errors/cli-error.js';
import { settingsListing, type SettingsListingEntry } from '../../config/settings-listing.js';

/** What `hfit config <server> <email> <key>` stored, or the listing when run without arguments. */
export type ConfigResult = { readonly configDir: string; readonly settings: readonly SettingsListingEntry[] } | { readonly saved: { readonly server: string; readonly email: string; readonly privateKeyPath: string }; readonly file: string };

/** `hfit config <server> <email> <private_key_path>`: the original tool's one-step set-up. */
export default class ConfigCommand extends BaseCommand {
  static override summary = 'Set server, e-mail and private key path at once (the original form), or show the settings';
  static override description = `With three arguments, stores the API address, your e-mail (user name) and the path of your private key (used by key-pair login) in the config dir ($XDG_CONFIG_HOME/hfit or ~/.config/hfit). Without arguments, lists the settings in effect, like \`hfit config list\`. HFIT_SERVER and HFIT_TOKEN override the stored server and token.`;
  static override examples = ['<%= config.bin %> config https://hfit.internal:8080 alice@example.com ~/.ssh/id_ed25519', '<%= config.bin %> config'];
  static override args = {
    server: Args.string({ description: 'API address, e.g. https://hfit.internal:8080' }),
    email: Args.string({ description: 'your e-mail (user name on the server)' }),
    private_key_path: Args.string({ description: 'path of your private key (for `hfit login`)' }),
  };

  async run(): Promise<ConfigResult> {
    const { args } = await this.parse(ConfigCommand);
    if (args.server === undefined) {
      const listing = await settingsListing(this.paths, this.env);
      this.output.lines(listing.lines);
      return { configDir: listing.configDir, settings: listing.settings };
    }
    if (args.email === undefined || args.private_key_path === undefined) {
      throw usageError('give all three: hfit config <server> <email> <private_key_path>', 'or set one value with `hfit config set <key> <value>`');
    }
    const saved = {
      server: normaliseSetting('server', args.server),
      email: normaliseSetting('email', args.email),
      privateKeyPath: path.resolve(normaliseSetting('privateKeyPath', args.private_key_path)),
    };
    await new SettingsFile(this.paths).update(saved);
    this.output.line(`saved server ${saved.server}, email ${saved.email}, private key ${saved.privateKeyPath} in ${this.paths.settingsFile}`);
    return { saved, file: this.paths.settingsFile };
  }
}
