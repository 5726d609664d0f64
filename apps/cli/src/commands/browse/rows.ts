import { PREVIEW_DEFAULT_LIMIT, PREVIEW_MAX_LIMIT, type PreviewRow, type TableColumn } from '@hfit/contracts';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base-command.js';
import { formatRowValue } from '../../render/format-row-value.js';
import { textTable } from '../../render/text-table.js';

/** What `hfit rows --json` prints: the columns and the rows (values in the server's text form). */
export interface RowsResult {
  readonly source: string;
  readonly database: string;
  readonly table: string;
  readonly filter: string | undefined;
  readonly columns: TableColumn[];
  readonly rows: PreviewRow[];
}

/** `hfit browse rows <source> <database> <table> [filter…]` (`hfit rows`). */
export default class BrowseRows extends BaseCommand {
  static override summary = 'Preview rows of a table, optionally filtered';
  static override description = `The filter is a condition on the table's columns in the template syntax (\`WHERE\` optional): comparisons, AND/OR/NOT, IN, BETWEEN, LIKE, IS NULL and a few functions. Several words are joined with spaces, so quoting the whole filter is optional; quote it when it holds shell characters (<, >, *, quotes). The server checks it and binds every value; rows come in primary-key order.

Formats: table (aligned text, NULL for SQL NULL), json ({columns, rows}), ndjson (one JSON object per row, streamed as the server reads them).`;
  static override aliases = ['rows'];
  static override strict = false;
  static override usage = ['<dbms> <db> <table> [filter…] [--limit N] [--format table|json|ndjson] [--json]'];
  static override examples = [
    `<%= config.bin %> rows shop_mysql shop orders "customer_id = 7 AND note LIKE 'late %'"`,
    '<%= config.bin %> rows shop_mysql shop orders "WHERE id < 100" --limit 20',
    '<%= config.bin %> rows shop_pg analytics events "order_id = 42" --format ndjson > events.ndjson',
  ];
  static override args = {
    source: Args.string({ required: true, description: 'source name' }),
    database: Args.string({ required: true, description: 'database (MySQL) or schema (PostgreSQL)' }),
    table: Args.string({ required: true, description: 'table name' }),
    filter: Args.string({ description: 'row filter, e.g. "id > 10 AND status = \'open\'" (more words are joined with spaces)' }),
  };
  static override flags = {
    limit: Flags.integer({ char: 'l', min: 1, max: PREVIEW_MAX_LIMIT, default: PREVIEW_DEFAULT_LIMIT, description: `rows to show, 1-${PREVIEW_MAX_LIMIT}` }),
    format: Flags.option({ options: ['table', 'json', 'ndjson'] as const, default: 'table', char: 'f', description: 'output format' })(),
  };

  async run(): Promise<RowsResult> {
    const { args, argv, flags } = await this.parse(BrowseRows);
    const words = (argv as string[]).slice(3);
    const filter = words.length === 0 ? undefined : words.join(' ');
    const client = await this.client();
    const base = { source: args.source, database: args.database, table: args.table, filter };
    if (flags.format === 'ndjson' && !this.output.json) {
      // Each line is printed as it arrives; keeping them for the return value is bounded by --limit (at most 10,000).
      const rows: PreviewRow[] = [];
      for await (const row of client.browse.rowsStream(args.source, args.database, args.table, { filter, limit: flags.limit })) {
        this.output.stdout.write(`${JSON.stringify(row)}\n`);
        rows.push(row);
      }
      return { ...base, columns: [], rows };
    }
    const preview = await client.browse.rows(args.source, args.database, args.table, { filter, limit: flags.limit });
    if (flags.format === 'json') this.output.line(JSON.stringify({ columns: preview.columns, rows: preview.rows }, null, 2));
    else {
      const names = preview.columns.map((c) => c.name);
      this.output.lines(textTable(names, preview.rows.map((r) => names.map((n) => formatRowValue(r[n])))));
      this.output.line(this.output.style.dim(`${preview.rows.length} row${preview.rows.length === 1 ? '' : 's'}${preview.rows.length === flags.limit ? ` (--limit ${flags.limit} reached)` : ''}`));
    }
    return { ...base, columns: preview.columns, rows: preview.rows };
  }
}
