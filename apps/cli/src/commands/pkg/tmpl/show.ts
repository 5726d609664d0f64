import type { TemplateText } from '@hfit/contracts';
import { Args } from '@oclif/core';
import { BaseCommand } from '../../../base-command.js';

/** `hfit pkg tmpl show <name>` (`hfit pkg-tmpl show`). */
export default class TmplShow extends BaseCommand {
  static override summary = 'Print a stored template exactly as stored';
  static override aliases = ['pkg-tmpl:show'];
  static override examples = ['<%= config.bin %> pkg-tmpl show order_incident > hfit-data/order_incident.yaml'];
  static override args = {
    name: Args.string({ required: true, description: 'template name' }),
  };

  async run(): Promise<TemplateText> {
    const { args } = await this.parse(TmplShow);
    const stored = await (await this.client()).templates.get(args.name);
    if (!this.output.json) this.output.stdout.write(stored.text.endsWith('\n') ? stored.text : `${stored.text}\n`);
    return stored;
  }
}
