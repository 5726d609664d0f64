import type { SourceList } from '@hfit/contracts';
import { BaseCommand } from '../../base-command.js';
import { textTable } from '../../render/text-table.js';

/** `hfit browse sources` (`hfit dbmss`): the configured sources. */
export default class BrowseSources extends BaseCommand {
  static override summary = 'List the database sources (DBMSs) templates can name';
  static override aliases = ['dbmss'];
  static override examples = ['<%= config.bin %> dbmss', '<%= config.bin %> browse sources --json'];

  async run(): Promise<{ sources: SourceList }> {
    await this.parse(BrowseSources);
    const sources = await (await this.client()).browse.sources();
    this.output.lines(textTable(['NAME', 'TYPE'], sources.map((s) => [s.name, s.type])));
    return { sources };
  }
}
