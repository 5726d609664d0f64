import type { TableList } from '@hfit/contracts';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { textTable } from '../../render/text-table.js';

/** `hfit browse tables <source> <database>` (`hfit tables`). */
export default class BrowseTables extends BaseCommand {
  static override summary = 'List the tables of a database with their columns and keys';
  static override aliases = ['tables'];
  static override examples = ['<%= config.bin %> tables shop_mysql shop', '<%= config.bin %> tables shop_mysql shop --columns', '<%= config.bin %> tables shop_pg analytics --json'];
  static override args = {
    source: Args.string({ required: true, description: 'source name' }),
    database: Args.string({ required: true, description: 'database (MySQL) or schema (PostgreSQL)' }),
  };
  static override flags = {
    columns: Flags.boolean({ char: 'c', description: 'also list every column with its type' }),
  };

  async run(): Promise<{ source: string; database: string; tables: TableList }> {
    const { args, flags } = await this.parse(BrowseTables);
    const tables = await (await this.client()).browse.tables(args.source, args.database);
    this.output.lines(
      textTable(
        ['TABLE', 'COLUMNS', 'PRIMARY KEY', 'FOREIGN KEYS'],
        tables.map((t) => [
          t.name,
          String(t.columns.length),
          t.primaryKey.join(', '),
          t.foreignKeys.map((fk) => `(${fk.columns.join(', ')}) -> ${fk.refDatabase}.${fk.refTable}(${fk.refColumns.join(', ')})`).join('; '),
        ]),
        { right: [1] },
      ),
    );
    if (flags.columns) {
      for (const t of tables) {
        this.output.line();
        this.output.line(this.output.style.bold(t.name));
        this.output.lines(textTable(['  COLUMN', 'TYPE', 'NULL'], t.columns.map((c) => [`  ${c.name}`, c.type, c.nullable ? 'yes' : 'no'])));
      }
    }
    return { source: args.source, database: args.database, tables };
  }
}
