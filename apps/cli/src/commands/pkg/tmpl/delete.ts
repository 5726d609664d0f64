import { Args } from '@oclif/core';
import { BaseCommand } from '../../../base-command.js';

/** `hfit pkg tmpl delete <name>` (`hfit pkg-tmpl delete`). */
export default class TmplDelete extends BaseCommand {
  static override summary = 'Delete a stored template';
  static override aliases = ['pkg-tmpl:delete'];
  static override examples = ['<%= config.bin %> pkg-tmpl delete order_incident'];
  static override args = {
    name: Args.string({ required: true, description: 'template name' }),
  };

  async run(): Promise<{ deleted: string }> {
    const { args } = await this.parse(TmplDelete);
    await (await this.client()).templates.delete(args.name);
    this.output.line(`deleted template ${args.name}`);
    return { deleted: args.name };
  }
}
