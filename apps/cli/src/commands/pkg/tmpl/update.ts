import type { TemplateText } from '@hfit/contracts';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../../base-command.js';
import { readTemplateFile } from '../../../build/read-template-file.js';
import { usageError } from '../../../errors/cli-error.js';
import { templateNameOf } from '../../../templates/template-name-of.js';

/** `hfit pkg tmpl update <file>` (`hfit pkg-tmpl update`). */
export default class TmplUpdate extends BaseCommand {
  static override summary = 'Replace a stored template with the text of a file';
  static override description = 'The template to replace is the one named by the file\'s templateName (or --name, which must then match it).';
  static override aliases = ['pkg-tmpl:update'];
  static override examples = ['<%= config.bin %> pkg-tmpl update hfit-data/order_incident.yaml'];
  static override args = {
    file: Args.string({ required: true, description: 'template YAML file (- reads it from stdin)' }),
  };
  static override flags = {
    name: Flags.string({ char: 'n', description: 'stored template to replace (default: the templateName in the file)' }),
  };

  async run(): Promise<Omit<TemplateText, 'text'>> {
    const { args, flags } = await this.parse(TmplUpdate);
    const text = await readTemplateFile(args.file);
    const name = flags.name ?? templateNameOf(text);
    if (name === undefined) throw usageError(`${args.file} has no templateName`, 'add one, or give --name');
    const stored = await (await this.client()).templates.update(name, text);
    this.output.line(`updated template ${stored.name} (sha256 ${stored.sha256})`);
    return { name: stored.name, sha256: stored.sha256, updatedAt: stored.updatedAt };
  }
}
