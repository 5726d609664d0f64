import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FileEntry, PreviewRow, TableList } from '@hfit/contracts';
import { expect } from 'chai';
import { startCliPlatform, type CliPlatform } from '../../testing/cli-platform.js';
import { runCli, runCommand } from '../../testing/run-command.js';
import { tempHome, type TempHome } from '../../testing/temp-home.js';
import BrowseDatabases from './databases.js';
import BrowseDownload from './download.js';
import BrowseFiles from './files.js';
import BrowseRows from './rows.js';
import BrowseSources from './sources.js';
import BrowseTables from './tables.js';
import BrowseVolumes from './volumes.js';

describe('hfit browse: dbmss, dbs, tables, rows, volumes, files, download against the API', function () {
  this.timeout(60_000);
  let platform: CliPlatform;
  let home: TempHome;
  let env: Record<string, string | undefined>;
  let db: string;

  before(async () => {
    platform = await startCliPlatform();
    db = platform.fixture.my.name;
    await platform.fixture.my.exec(`INSERT INTO customers VALUES (99, 'O''Brien & Sons #1', 'ob@example.test'), (98, 'O''Brien', NULL)`);
    await writeFile(path.join(platform.fixture.volumeRoot, 'my report 1.txt'), 'report one\n');
  });

  after(async () => {
    await platform?.close();
  });

  beforeEach(async () => {
    home = await tempHome();
    env = { ...home.env, ...platform.env };
  });

  afterEach(async () => {
    await home.dispose();
  });

  it('lists sources, databases and tables (text and --json)', async () => {
    const sources = await runCommand(BrowseSources, [], { env });
    expect(sources.stdout).to.equal('NAME        TYPE\nshop_mysql  mysql\nshop_pg     postgres\n');
    const dbs = await runCommand(BrowseDatabases, ['shop_mysql', '--json'], { env });
    expect(dbs.json()).to.deep.equal({ source: 'shop_mysql', databases: [db] });
    const tables = await runCommand<{ tables: TableList }>(BrowseTables, ['shop_mysql', db, '--json'], { env });
    const json = tables.json<{ tables: TableList }>();
    expect(json.tables.map((t) => t.name)).to.deep.equal(['customers', 'orders']);
    expect(json.tables[1]!.foreignKeys[0]).to.deep.include({ columns: ['customer_id'], refTable: 'customers', refColumns: ['id'] });
    const text = await runCommand(BrowseTables, ['shop_mysql', db], { env });
    expect(text.stdout.split('\n')[2]).to.match(/^orders\s+4\s+id\s+\(customer_id\) -> hfit_t_\w+\.customers\(id\)$/);
    const unknown = await runCommand(BrowseDatabases, ['nope'], { env });
    expect(unknown.exitCode).to.equal(1);
    expect(unknown.stderr).to.match(/^hfit: .*\(SOURCE_UNKNOWN\)\n$/);
  });

  it('sends a filter with spaces, quotes, & and # intact, quoted or as several words', async () => {
    const quoted = await runCommand(BrowseRows, ['shop_mysql', db, 'customers', "name = 'O''Brien & Sons #1'", '--json'], { env });
    expect(quoted.exitCode, quoted.stderr).to.equal(0);
    expect(quoted.json<{ rows: PreviewRow[] }>().rows).to.deep.equal([{ id: '99', name: "O'Brien & Sons #1", email: 'ob@example.test' }]);
    const words = await runCommand(BrowseRows, ['shop_mysql', db, 'customers', 'WHERE', 'name', 'LIKE', "'O''Brien%'", 'AND', 'email', 'IS', 'NULL'], { env });
    expect(words.exitCode, words.stderr).to.equal(0);
    expect(words.stdout).to.equal("id  name     email\n98  O'Brien  NULL\n1 row\n");
  });

  it('prints rows as a table, as {columns, rows} JSON, or streamed NDJSON, with --limit', async () => {
    const json = await runCommand(BrowseRows, ['shop_mysql', db, 'orders', 'customer_id = 4', '--format', 'json', '--limit', '2'], { env });
    const parsed = JSON.parse(json.stdout) as { columns: { name: string }[]; rows: PreviewRow[] };
    expect(parsed.columns.map((c) => c.name)).to.deep.equal(['id', 'customer_id', 'total', 'note']);
    expect(parsed.rows.map((r) => r['id'])).to.deep.equal(['3', '13']);
    const ndjson = await runCommand(BrowseRows, ['shop_pg', 'app', 'events', 'order_id = 3', '--format', 'ndjson'], { env });
    const lines = ndjson.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as PreviewRow);
    const n = (await platform.fixture.pg.query<{ n: string }>('SELECT COUNT(*) AS n FROM app.events WHERE order_id = 3'))[0]!.n;
    expect(lines).to.have.length(Number(n));
    expect(lines.every((r) => r['order_id'] === '3' && typeof r['payload'] === 'string')).to.equal(true);
    const table = await runCommand(BrowseRows, ['shop_mysql', db, 'orders', '--limit', '3'], { env });
    expect(table.stdout.split('\n')).to.have.length(6); // header, 3 rows, the count, the final newline
    expect(table.stdout).to.include('3 rows (--limit 3 reached)');
  });

  it('reports a rejected filter with the server code, before any row', async () => {
    const run = await runCommand(BrowseRows, ['shop_mysql', db, 'orders', 'id IN (SELECT id FROM customers)', '--format', 'ndjson'], { env });
    expect(run.exitCode).to.equal(1);
    expect(run.stdout).to.equal('');
    expect(run.stderr).to.match(/^hfit: .+ \(FILTER_REJECTED\)\n/);
  });

  it('lists volumes and files with filters, names with spaces included', async () => {
    const volumes = await runCommand(BrowseVolumes, ['--json'], { env });
    expect(volumes.json()).to.deep.equal({ volumes: [{ name: 'invoices' }] });
    const files = await runCommand(BrowseFiles, ['invoices', 'name:my report*', '--json'], { env });
    expect(files.json<{ files: FileEntry[] }>().files.map((f) => f.path)).to.deep.equal(['my report 1.txt']);
    const text = await runCommand(BrowseFiles, ['invoices', 'name:invoice_1*.txt', 'sort:name'], { env });
    expect(text.stdout.split('\n').slice(1, 3).map((l) => l.split(/\s+/)[0])).to.deep.equal(['invoice_1.txt', 'invoice_10.txt']);
    const bad = await runCommand(BrowseFiles, ['invoices', 'colour:blue'], { env });
    expect(bad.exitCode).to.equal(1);
    expect(bad.stderr).to.match(/\(REQUEST_INVALID\)/);
  });

  it('downloads a file to -o or to stdout, refuses paths leaving the volume, and refuses to overwrite without --force', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hfit-cli-dl-'));
    try {
      const target = path.join(dir, 'report.txt');
      const saved = await runCommand(BrowseDownload, ['invoices:my report 1.txt', '-o', target, '--json'], { env });
      expect(saved.json()).to.deep.equal({ volume: 'invoices', path: 'my report 1.txt', file: target, bytes: 11 });
      expect(await readFile(target, 'utf8')).to.equal('report one\n');
      const again = await runCommand(BrowseDownload, ['invoices:invoice_3.txt', '-o', target], { env });
      expect(again.exitCode).to.equal(1);
      expect(again.stderr).to.include('(FILE_EXISTS)');
      expect(await readFile(target, 'utf8')).to.equal('report one\n');
      const forced = await runCommand(BrowseDownload, ['invoices:invoice_3.txt', '-o', target, '--force'], { env });
      expect(forced.exitCode, forced.stderr).to.equal(0);
      expect(await readFile(target, 'utf8')).to.equal('Invoice for order 3\n');
      const stdout = await runCommand(BrowseDownload, ['invoices:invoice_4.txt', '-o', '-'], { env });
      expect(stdout.stdout).to.equal('Invoice for order 4\n');
      const escape = await runCommand(BrowseDownload, ['invoices:../hfit.yaml', '-o', path.join(dir, 'x')], { env });
      expect(escape.exitCode).to.equal(1);
      expect(escape.stderr).to.include('(PATH_ESCAPE)');
      const usage = await runCommand(BrowseDownload, ['invoices'], { env });
      expect(usage.exitCode).to.equal(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers to the original names (dbmss, rows) and the spaced topic form through the dispatcher', async () => {
    const dbmss = await runCli(['dbmss', '--json'], { env });
    expect(dbmss.json<{ sources: unknown[] }>().sources).to.have.length(2);
    const rows = await runCli(['rows', 'shop_mysql', db, 'customers', 'id = 2', '--json'], { env });
    expect(rows.json<{ rows: PreviewRow[] }>().rows.map((r) => r['name'])).to.deep.equal(['Customer 2']);
    const spaced = await runCli(['browse', 'tables', 'shop_pg', 'app', '--json'], { env });
    expect(spaced.json<{ tables: TableList }>().tables.map((t) => t.name)).to.deep.equal(['events']);
  });
});
