import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createScratchDatabase, TEST_SERVERS, type ScratchDatabase } from '@hfit/db/testing';
import { expect } from 'chai';
import type { BuildResult } from '../build/build-result.js';
import type { FetchedPackage } from '../download/fetch-package.js';
import { runCli, runCommand } from '../testing/run-command.js';
import { usePlatformCli } from '../testing/use-platform-cli.js';
import type { PreparedDataDir } from '../workspace/prepare-data-dir.js';
import Import, { type ImportResult } from './import.js';
import PkgBuild from './pkg/build.js';
import PkgDownload from './pkg/download.js';
import Prepare from './prepare.js';

const mysqlUrl = (db: string): string => `mysql://${TEST_SERVERS.mysql.user}@${TEST_SERVERS.mysql.host}:${TEST_SERVERS.mysql.port}/${db}`;
const postgresUrl = (db: string): string => `postgres://${TEST_SERVERS.postgres.user}@${TEST_SERVERS.postgres.host}:${TEST_SERVERS.postgres.port}/${db}`;

describe('the full loop: prepare -> pkg-build --json -> pkg-download -> import into fresh local databases', function () {
  this.timeout(90_000);
  const cli = usePlatformCli({ tempDir: 'hfit-cli-loop-' });
  const scratch: ScratchDatabase[] = [];

  afterEach(async () => {
    await Promise.all(scratch.splice(0).map((db) => db.drop()));
  });

  it('imports rows equal to the source rows, and the volume files, on MariaDB and PostgreSQL', async () => {
    const data = path.join(cli.dir, 'hfit-data');
    const prepared = await runCommand<PreparedDataDir>(Prepare, ['--dir', data, '--json'], { env: cli.env });
    expect(prepared.json<PreparedDataDir>()).to.deep.include({ dir: data, created: true, gitignoreStatus: 'created' });
    expect((await readFile(path.join(data, '.gitignore'), 'utf8')).split('\n').slice(1)).to.deep.equal(['*', '!.gitignore', '!*.yaml', '']);
    const template = path.join(data, 'order_incident.yaml');
    await writeFile(template, cli.platform.fixture.template);

    const build = await runCommand<BuildResult>(PkgBuild, [template, '5', '--json', '--interval', '100'], { env: cli.env });
    expect(build.exitCode, build.stderr).to.equal(0);
    const { id, sha256 } = build.json<BuildResult>();
    const download = await runCommand<FetchedPackage>(PkgDownload, [id, '--dir', data, '--json'], { env: cli.env });
    expect(download.exitCode, download.stderr).to.equal(0);
    expect(download.json<FetchedPackage>()).to.deep.include({ sha256, dir: path.join(data, 'order_5') });

    const [my, pg] = await Promise.all([createScratchDatabase('mysql', 'hfit_cli'), createScratchDatabase('postgres', 'hfit_cli')]);
    scratch.push(my, pg);
    const toMysql = await runCommand<ImportResult>(Import, [path.join(data, 'order_5'), '--target', mysqlUrl(my.name), '--json'], { env: cli.env });
    expect(toMysql.exitCode, toMysql.stderr + toMysql.stdout).to.equal(0);
    const report = toMysql.json<ImportResult>();
    expect(report.tables.map((t) => t.table)).to.deep.equal([`${my.name}.customers`, `${my.name}.orders`]);
    expect(report.skipped.map((s) => s.file).sort()).to.deep.equal(['events.create.sql', 'events.data.sql']);

    const source = cli.platform.fixture.my;
    const customer = (await source.query<{ customer_id: number }>('SELECT customer_id FROM orders WHERE id = 5'))[0]!.customer_id;
    const sourceOrders = await source.query(`SELECT * FROM orders WHERE customer_id = ? ORDER BY id`, [customer]);
    expect(sourceOrders.length).to.be.greaterThan(1);
    expect(await my.query('SELECT * FROM orders ORDER BY id')).to.deep.equal(sourceOrders);
    expect(await my.query('SELECT * FROM customers')).to.deep.equal(await source.query('SELECT * FROM customers WHERE id = ?', [customer]));
    expect(report.tables.find((t) => t.table.endsWith('.orders'))?.rows).to.equal(sourceOrders.length);

    const toPostgres = await runCli(['local-i', path.join(data, 'order_5'), '--target', postgresUrl(pg.name), '--files-dir', path.join(cli.dir, 'files'), '--json'], { env: cli.env });
    expect(toPostgres.exitCode, toPostgres.stderr + toPostgres.stdout).to.equal(0);
    const events = 'SELECT id::text, order_id, kind, payload::text FROM app.events WHERE order_id = 5 ORDER BY id';
    const sourceEvents = await cli.platform.fixture.pg.query(events);
    expect(sourceEvents.length).to.be.greaterThan(0);
    expect(await pg.query(events)).to.deep.equal(sourceEvents);
    expect(await pg.query('SELECT COUNT(*)::int AS n FROM app.events')).to.deep.equal([{ n: sourceEvents.length }]);

    expect(await readFile(path.join(cli.dir, 'files', 'invoice.txt'), 'utf8')).to.equal('Invoice for order 5\n');
    expect(await readFile(path.join(cli.dir, 'files', 'attachments', 'att_5_2.txt'), 'utf8')).to.equal('attachment 2 of order 5\n');
    expect(await readFile(path.join(data, 'order_5-files', 'invoice.txt'), 'utf8')).to.equal('Invoice for order 5\n');
  });

  it('creates the target database when asked, reports rows per table, and names the file of a failure', async () => {
    const data = path.join(cli.dir, 'hfit-data');
    const template = path.join(cli.dir, 'order_incident.yaml');
    await writeFile(template, cli.platform.fixture.template);
    const fetched = await runCli(['pkg-download', template, '6', '--dir', data, '--interval', '100'], { env: cli.env });
    expect(fetched.exitCode, fetched.stderr).to.equal(0);
    const holder = await createScratchDatabase('mysql', 'hfit_cli');
    scratch.push(holder);
    const fresh = `${holder.name}_new`;
    try {
      const run = await runCommand(Import, [path.join(data, 'order_6'), '--target', mysqlUrl(fresh), '--create-database'], { env: cli.env });
      expect(run.exitCode, run.stderr + run.stdout).to.equal(0);
      expect(run.stdout).to.match(new RegExp(`^${fresh}\\.orders +orders\\.data\\.sql +\\d+ +[\\d.]+ m?s$`, 'm'));
      expect(run.stdout).to.match(new RegExp(`imported \\d+ rows into 2 tables of mysql database ${fresh} \\(created\\)`));
      const again = await runCommand(Import, [path.join(data, 'order_6'), '--target', mysqlUrl(fresh), '--json'], { env: cli.env });
      expect(again.exitCode).to.equal(1);
      const error = again.json<{ error: { code: string; message: string; problems: { field?: string }[] } }>().error;
      expect(error.code).to.equal('IMPORT_FAILED');
      expect(error.message).to.match(/\.sql/);
      expect(error.problems[0]?.field).to.match(/\.sql$/);
      const text = await runCommand(Import, [path.join(data, 'order_6'), '--target', mysqlUrl(fresh)], { env: cli.env });
      expect(text.exitCode).to.equal(1);
      expect(text.stderr).to.match(/^hfit: import into mysql:\/\/root@127\.0\.0\.1:3306\/\w+ failed at shop\.schema\.sql, statement \d+ \(line \d+\): .+ \(IMPORT_FAILED\)\n$/);
      const missing = await runCommand(Import, [path.join(data, 'order_6'), '--target', mysqlUrl(`${holder.name}_absent`)], { env: cli.env });
      expect(missing.exitCode).to.equal(2);
      expect(missing.stderr).to.match(/\(IMPORT_TARGET_INVALID\)\n$/);
      const badUrl = await runCommand(Import, [path.join(data, 'order_6'), '--target', 'ftp://x/y'], { env: cli.env });
      expect(badUrl.exitCode).to.equal(2);
    } finally {
      await holder.exec(`DROP DATABASE IF EXISTS \`${fresh}\``);
    }
  });
});
