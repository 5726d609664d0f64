import type { TemplateText } from '@hfit/contracts';
import { Args } from '@oclif/core';
import { BaseCommand } from '../../../base-command.js';
import { readTemplateFile } from '../../../build/read-template-file.js';

/** `hfit pkg tmpl create <file>` (`hfit pkg-tmpl create`). */
export default class TmplCreate extends BaseCommand {
  static override summary = 'Store a new template on the server, under its templateName';
  static override description = 'The server validates it and lists every problem with its line; a name already taken is refused (use update).';
  static override aliases = ['pkg-tmpl:create'];
  static override examples = ['<%= config.bin %> pkg-tmpl create hfit-data/order_incident.yaml', '<%= config.bin %> pkg-build --name order_incident 42'];
  static override args = {
    file: Args.string({ required: true, description: 'template YAML file (- reads it from stdin)' }),
  };

  async run(): Promise<Omit<TemplateText, 'text'>> {
    const { args } = await this.parse(TmplCreate);
    const stored = await (await this.client()).templates.create(await readTemplateFile(args.file));
    this.output.line(`created template ${stored.name} (sha256 ${stored.sha256})`);
    return { name: stored.name, sha256: stored.sha256, updatedAt: stored.updatedAt };
  }
}
