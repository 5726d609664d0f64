import { BaseCommand } from '../../base-command.js';
import { SAMPLE_TEMPLATE } from '../../templates/sample-template.js';

/** `hfit pkg example` (`hfit pkg-example`). */
export default class PkgExample extends BaseCommand {
  static override summary = 'Print a commented sample package template';
  static override description = 'Every prepare step and export type of format v1, with comments. Save it under hfit-data/ and adapt it.';
  static override aliases = ['pkg-example'];
  static override examples = ['<%= config.bin %> pkg-example > hfit-data/order_incident.yaml'];

  async run(): Promise<{ template: string }> {
    await this.parse(PkgExample);
    if (!this.output.json) this.output.stdout.write(SAMPLE_TEMPLATE);
    return { template: SAMPLE_TEMPLATE };
  }
}
