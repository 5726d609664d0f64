import type { FileEntry } from '@hfit/contracts';
import { Args } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { formatBytes } from '../../render/format-units.js';
import { textTable } from '../../render/text-table.js';

/** `hfit browse files <volume> [filter…]` (`hfit files`). */
export default class BrowseFiles extends BaseCommand {
  static override summary = 'List the files of a volume, recursively, with filters';
  static override description = `Filters (all must hold), each one argument:
  name:<glob>          base name matches, e.g. name:*.pdf or "name:my report*.txt"
  mtime:<days>         modified within that many days; negative: older than that
  size:>N size:<N size:N   bytes, with k/M/G suffixes (1024-based)
  sort:<mtime|size|name>[:asc|desc]
  path:<folder>        list below that folder only`;
  static override aliases = ['files'];
  static override strict = false;
  static override usage = ['<volume> [filter…] [--json]'];
  static override examples = ['<%= config.bin %> files invoices', '<%= config.bin %> files invoices name:*.pdf mtime:7 size:>1k', '<%= config.bin %> files invoices "name:order 42*" sort:mtime:desc --json'];
  static override args = {
    volume: Args.string({ required: true, description: 'volume name (see `hfit volumes`)' }),
    filter: Args.string({ description: 'filters: name:<glob> mtime:<days> size:>N sort:<key>[:order] path:<folder>' }),
  };

  async run(): Promise<{ volume: string; filters: string[]; files: FileEntry[] }> {
    const { args, argv } = await this.parse(BrowseFiles);
    const filters = (argv as string[]).slice(1);
    const client = await this.client();
    const files: FileEntry[] = [];
    // Collected to align the table columns and for --json.
    for await (const f of client.browse.files(args.volume, filters)) files.push(f);
    this.output.lines(
      textTable(
        ['PATH', 'SIZE', 'MODIFIED'],
        files.map((f) => [f.isdir ? `${f.path}/` : f.path, f.isdir ? '-' : formatBytes(f.size), f.modtime.replace('T', ' ').replace(/\.\d+Z$/, 'Z')]),
        { right: [1] },
      ),
    );
    return { volume: args.volume, filters, files };
  }
}
