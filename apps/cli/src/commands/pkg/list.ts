import type { BuildList } from '@hfit/contracts';
import { BuildStateSchema } from '@hfit/contracts';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { formatBytes } from '../../render/format-units.js';
import { textTable } from '../../render/text-table.js';

/** `hfit pkg list`. */
export default class PkgList extends BaseCommand {
  static override summary = 'List builds, newest first';
  static override examples = ['<%= config.bin %> pkg list', '<%= config.bin %> pkg list --package order_42 --state succeeded', '<%= config.bin %> pkg list --limit 100 --json'];
  static override flags = {
    template: Flags.string({ char: 't', description: 'builds of this template' }),
    package: Flags.string({ char: 'p', description: 'builds of this package' }),
    state: Flags.option({ options: BuildStateSchema.options, char: 's', description: 'builds in this state' })(),
    limit: Flags.integer({ min: 1, max: 100, default: 20, description: 'builds per page (1-100)' }),
    cursor: Flags.string({ description: 'next page: the cursor the previous page printed' }),
  };

  async run(): Promise<BuildList> {
    const { flags } = await this.parse(PkgList);
    const list = await (await this.client()).builds.list({
      ...(flags.template === undefined ? {} : { template: flags.template }),
      ...(flags.package === undefined ? {} : { package: flags.package }),
      ...(flags.state === undefined ? {} : { state: flags.state }),
      ...(flags.cursor === undefined ? {} : { cursor: flags.cursor }),
      limit: flags.limit,
    });
    this.output.lines(
      textTable(
        ['ID', 'STATE', 'TEMPLATE', 'PACKAGE', 'CREATED', 'SIZE'],
        list.items.map((b) => [b.id, b.state, b.templateName, b.packageName ?? '', b.createdAt, b.artifact ? formatBytes(b.artifact.size) : '']),
        { right: [5] },
      ),
    );
    if (list.nextCursor !== undefined) this.output.line(`more: hfit pkg list --cursor ${list.nextCursor}`);
    return list;
  }
}
