import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import type { UploadReport } from '@hfit/contracts';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../../base-command.js';
import { CliError, usageError } from '../../../errors/cli-error.js';
import { textTable } from '../../../render/text-table.js';

/** `hfit pkg tmpl upload <archive.tar.gz>` (`hfit pkg-tmpl upload`). */
export default class TmplUpload extends BaseCommand {
  static override summary = 'Store every *.yaml of a .tar.gz as templates, with a report per file';
  static override description = `Templates already stored with another text are reported as errors unless --overwrite. Exit code 1 when any file was refused (the report lists why).`;
  static override aliases = ['pkg-tmpl:upload'];
  static override examples = ['tar czf templates.tar.gz -C hfit-data . && <%= config.bin %> pkg-tmpl upload templates.tar.gz --overwrite'];
  static override args = {
    archive: Args.string({ required: true, description: '.tar.gz of template YAML files' }),
  };
  static override flags = {
    overwrite: Flags.boolean({ description: 'replace stored templates whose text differs' }),
  };

  async run(): Promise<UploadReport> {
    const { args, flags } = await this.parse(TmplUpload);
    await access(args.archive).catch(() => {
      throw usageError(`cannot read ${args.archive}`);
    });
    const report = await (await this.client()).templates.upload(createReadStream(args.archive), { overwrite: flags.overwrite });
    this.output.lines(textTable(['FILE', 'TEMPLATE', 'STATUS', 'DETAIL'], report.files.map((f) => [f.file, f.name ?? '', f.status, f.error ? `${f.error.code}: ${f.error.message}` : (f.reason ?? '')])));
    const c = report.counts;
    this.output.line(`${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.skipped} skipped, ${c.error} refused`);
    if (c.error > 0) throw new CliError(`${c.error} of the uploaded files were refused`, { code: 'UPLOAD_PARTIAL', data: { report } });
    return report;
  }
}
