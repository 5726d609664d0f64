import type { TemplateSummary } from '@hfit/contracts';
import { BaseCommand } from '../../../base-command.js';
import { formatBytes } from '../../../render/format-units.js';
import { textTable } from '../../../render/text-table.js';

/** `hfit pkg tmpl list` (`hfit pkg-tmpl list`). */
export default class TmplList extends BaseCommand {
  static override summary = 'List the templates stored on the server for you';
  static override aliases = ['pkg-tmpl:list'];
  static override examples = ['<%= config.bin %> pkg-tmpl list', '<%= config.bin %> pkg tmpl list --json'];

  async run(): Promise<{ templates: TemplateSummary[] }> {
    await this.parse(TmplList);
    const templates = await (await this.client()).templates.list();
    this.output.lines(textTable(['NAME', 'SIZE', 'UPDATED', 'SHA256'], templates.map((t) => [t.name, formatBytes(t.size), t.updatedAt, t.sha256.slice(0, 12)]), { right: [1] }));
    return { templates };
  }
}
