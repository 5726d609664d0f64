import { Args } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';

/** `hfit browse databases <source>` (`hfit dbs`). */
export default class BrowseDatabases extends BaseCommand {
  static override summary = 'List the databases (MySQL) or schemas (PostgreSQL) of a source';
  static override aliases = ['dbs'];
  static override examples = ['<%= config.bin %> dbs shop_mysql', '<%= config.bin %> browse databases shop_pg --json'];
  static override args = {
    source: Args.string({ required: true, description: 'source name (see `hfit dbmss`)' }),
  };

  async run(): Promise<{ source: string; databases: string[] }> {
    const { args } = await this.parse(BrowseDatabases);
    const databases = await (await this.client()).browse.databases(args.source);
    this.output.lines(databases);
    return { source: args.source, databases };
  }
}
