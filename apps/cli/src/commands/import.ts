import path from 'node:path';
import type { ImportReport } from '@hfit/import';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import { formatCount, formatDuration, formatQuantity } from '../render/format-units.js';
import { ImportProgressRenderer } from '../render/import-progress-renderer.js';
import { textTable } from '../render/text-table.js';

/** What `hfit import --json` prints: the import report, the target without its password. */
export type ImportResult = ImportReport & { readonly package: string; readonly targetUrl: string };

/** `hfit import <package-dir> --target <url>` (`hfit local-i`). */
export default class Import extends BaseCommand {
  static override summary = 'Load an unpacked package into a local MySQL/MariaDB or PostgreSQL database and copy its files';
  static override description = `Checks every file against the package manifest first, then runs the DDL, then loads the data parent tables first (foreign-key checks off in the import's own sessions), each table in one transaction, and copies the volume files into a local folder (default <package>-files beside the package). Exports of the other kind of database are skipped and listed. On MySQL/MariaDB every database of the package is loaded into the target database; on PostgreSQL the package's schemas are created in it.

A failure names the file, the statement and its line, rolls back the table being loaded and lists the tables committed before it (exit code 1).`;
  static override aliases = ['local-i'];
  static override examples = [
    '<%= config.bin %> import hfit-data/order_42 --target mysql://root@127.0.0.1:3306/shop_local --create-database',
    '<%= config.bin %> local-i hfit-data/order_42 --target postgres://postgres@127.0.0.1:5432/shop_local --files-dir var/invoices',
  ];
  static override args = {
    package: Args.string({ required: true, description: 'unpacked package folder, e.g. hfit-data/order_42' }),
  };
  static override flags = {
    target: Flags.string({ char: 't', required: true, description: 'mysql://user[:password]@host[:port]/database or postgres://…/database' }),
    'create-database': Flags.boolean({ char: 'c', description: 'create the target database when it does not exist' }),
    'files-dir': Flags.string({ description: 'where the package\'s volume files are copied (default: <package>-files beside the package)' }),
  };

  async run(): Promise<ImportResult> {
    const { args, flags } = await this.parse(Import);
    // Loaded here, not at the top: oclif reads every command module at start, and the database
    // drivers are only needed by this command.
    const { importPackage, parseImportTarget } = await import('@hfit/import');
    const target = parseImportTarget(flags.target);
    this.output.line(`importing ${args.package} into ${target.display}`);
    const renderer = new ImportProgressRenderer(this.output.progress());
    let report: ImportReport;
    try {
      report = await importPackage(path.resolve(args.package), {
        target: flags.target,
        createDatabase: flags['create-database'],
        ...(flags['files-dir'] === undefined ? {} : { filesDir: path.resolve(flags['files-dir']) }),
        onProgress: (e) => renderer.onEvent(e),
      });
    } finally {
      renderer.finish();
    }
    if (report.tables.length > 0) {
      this.output.lines(textTable(['TABLE', 'FILE', 'ROWS', 'TIME'], report.tables.map((t) => [t.table, t.file, formatCount(t.rows), formatDuration(t.durationMs)]), { right: [2, 3] }));
    }
    if (report.files.length > 0) this.output.line(`copied ${formatQuantity(report.files.length, 'file')} into ${report.filesDir}`);
    for (const w of report.warnings) this.output.notice(`warning: ${w}`);
    const rows = report.tables.reduce((n, t) => n + t.rows, 0);
    this.output.line(`imported ${formatQuantity(rows, 'row')} into ${formatQuantity(report.tables.length, 'table')} of ${target.dialect} database ${report.target.database}${report.target.created ? ' (created)' : ''} in ${formatDuration(report.durationMs)}`);
    return { ...report, package: path.resolve(args.package), targetUrl: target.display };
  }
}
