import { BaseCommand } from '../../base-command.js';
import { settingsListing } from '../../config/settings-listing.js';

/** What `hfit config list --json` prints. */
export interface ConfigListResult {
  readonly configDir: string;
  readonly settings: readonly { key: string; value?: string; origin?: string; from?: string }[];
}

/** `hfit config list`: the settings in effect and where each comes from. */
export default class ConfigList extends BaseCommand {
  static override summary = 'List the settings in effect and where each comes from';
  static override description = `Shows server, email, privateKeyPath and token (masked), each with its origin: HFIT_SERVER / HFIT_TOKEN, the config dir, or the original tool's ~/.hfit files.`;
  static override examples = ['<%= config.bin %> config list', '<%= config.bin %> config list --json'];

  async run(): Promise<ConfigListResult> {
    await this.parse(ConfigList);
    const listing = await settingsListing(this.paths, this.env);
    this.output.lines(listing.lines);
    return { configDir: listing.configDir, settings: listing.settings };
  }
}
