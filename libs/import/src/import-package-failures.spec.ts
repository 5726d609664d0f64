import { expect } from 'chai';
import { access, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isHfitError } from '@hfit/contracts';
import { createScratchDatabase, TEST_SERVERS, type ScratchDatabase } from '@hfit/db/testing';
import { ImportFailedError } from './errors/import-failed-error.js';
import { importPackage } from './import-package.js';
import { buildTestPackage } from './testing/build-test-package.js';
import { rewritePackageFile } from './testing/rewrite-package-file.js';
import { rejection } from './testing/rejection.js';
import { PARENT_ROWS } from './testing/source-fixtures.js';
import { targetUrl } from './testing/target-url.js';
import { useImportFixture } from './testing/use-import-fixture.js';

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

describe('importPackage: failures', function () {
  this.timeout(120_000);
  const fx = useImportFixture({ workPrefix: 'hfit-import-fail-', seedSources: true });
  const { target } = fx;
  const rowCount = async (db: ScratchDatabase, table: string) =>
    Number((await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n);
  const tableCount = async (db: ScratchDatabase) =>
    db.type === 'mysql'
      ? Number((await db.query<{ n: string }>('SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()'))[0]?.n)
      : (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"))[0]?.n;

  const mysqlPackage = (name: string, batchSize = 1000) =>
    buildTestPackage(
      fx.work,
      `hfitVersion: 1
templateName: f
packageName: ${name}
exports:
  schema.sql: { type: dbcreate, data: { dbms: my, tablelist: [${fx.mySource.name}] } }
  a_child.data.sql: { type: table-data, data: { dbms: my, table: ${fx.mySource.name}.child } }
  b_parent.data.sql: { type: table-data, data: { dbms: my, table: ${fx.mySource.name}.parent } }
`,
      [{ ...fx.mySource.source, name: 'my' }],
      { batchSize },
    );

  it('refuses a package whose files do not match the manifest, listing them, before writing anything', async () => {
    const dir = await mysqlPackage('corrupt');
    const parentFile = path.join(dir, 'b_parent.data.sql');
    const bytes = await readFile(parentFile);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 5) ^ 1, bytes.length - 5);
    await writeFile(parentFile, bytes);
    await rm(path.join(dir, 'a_child.data.sql'));
    const s = TEST_SERVERS.mysql;
    const name = `hfit_imp_never_${process.pid}`;
    const filesDir = path.join(fx.work, 'never-files');

    const err = await rejection(importPackage(dir, { target: `mysql://${s.user}@${s.host}:${s.port}/${name}`, createDatabase: true, filesDir }));
    expect(isHfitError(err, 'IMPORT_PACKAGE_INVALID'), err.message).to.equal(true);
    expect(err.message).to.include('2 of 3 files of package "corrupt" do not match its manifest');
    expect((err as ImportFailedError).details.map((d) => d.message)).to.deep.equal([
      'a_child.data.sql is missing',
      'b_parent.data.sql has a different sha256 than the manifest',
    ]);
    const probe = await createScratchDatabase('mysql', 'hfit_probe');
    try {
      expect(await probe.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name])).to.deep.equal([]);
    } finally {
      await probe.drop();
    }
    expect(await exists(filesDir)).to.equal(false);
  });

  it('names the file, statement and line of a failing INSERT, rolls its table back and lists the tables imported before', async () => {
    const dir = await mysqlPackage('bad_insert', 10);
    // The third INSERT of the child file repeats the key of the first row: a duplicate key error.
    let insertLine = 0;
    let headerStatements = 0;
    await rewritePackageFile(dir, 'a_child.data.sql', (text) => {
      const lines = text.split('\n');
      headerStatements = lines.findIndex((l) => l.startsWith('INSERT INTO'));
      const inserts = lines.flatMap((l, i) => (l.startsWith('INSERT INTO') ? [i] : []));
      insertLine = inserts[2]! + 1; // 1-based line of the third INSERT
      const firstTuple = inserts[2]! + 1; // 0-based index of the line after it
      lines[firstTuple] = lines[firstTuple]!.replace(/^\(\d+,/, '(0,');
      return lines.join('\n');
    });
    const db = await target('mysql');

    const err = await rejection(importPackage(dir, { target: targetUrl(db) }));
    expect(err).to.be.instanceOf(ImportFailedError);
    const failure = err as ImportFailedError;
    expect(failure.code).to.equal('IMPORT_FAILED');
    expect(failure.point).to.deep.include({ file: 'a_child.data.sql', statement: headerStatements + 3, line: insertLine });
    expect(failure.message).to.include(`failed at a_child.data.sql, statement ${headerStatements + 3} (line ${insertLine}): ER_DUP_ENTRY: Duplicate entry '0'`);
    expect(failure.message).to.include('[statement: INSERT INTO `child` (`id`, `parent_id`, `label`) VALUES (');
    expect(failure.message).to.include(`Table ${db.name}.child was rolled back: none of its rows were kept. Tables imported before stay imported: ${db.name}.parent.`);
    expect(failure.imported.map((t) => [t.table, t.rows])).to.deep.equal([[`${db.name}.parent`, PARENT_ROWS]]);
    expect(failure.details.map((d) => [d.field, d.line])).to.deep.equal([
      ['a_child.data.sql', insertLine],
      ['imported', undefined],
    ]);
    expect(failure.details[1]?.message).to.equal(`${db.name}.parent: ${PARENT_ROWS} rows from b_parent.data.sql`);
    expect(await rowCount(db, 'child')).to.equal(0);
    expect(await rowCount(db, 'parent')).to.equal(PARENT_ROWS);
  });

  it('names the COPY statement and the server’s line of a failing COPY row, and leaves the table empty', async () => {
    const dir = await buildTestPackage(
      fx.work,
      `hfitVersion: 1
templateName: f
packageName: bad_copy
exports:
  schema.sql: { type: dbcreate, data: { dbms: pgsrc, tablelist: [app] } }
  a_child.data.sql: { type: table-data, data: { dbms: pgsrc, table: app.child, format: copy } }
`,
      [{ ...fx.pgSource.source, name: 'pgsrc' }],
    );
    await rewritePackageFile(dir, 'a_child.data.sql', (text) => text.replace(/^30\t\d+\t/m, '30\toops\t'));
    const db = await target('postgres');

    const err = await rejection(importPackage(dir, { target: targetUrl(db) }));
    expect(err).to.be.instanceOf(ImportFailedError);
    expect((err as ImportFailedError).point).to.deep.include({ file: 'a_child.data.sql', statement: 7, line: 7 });
    expect(err.message).to.match(/statement 7 \(line 7\): 22P02: invalid input syntax for type integer: "oops" \(COPY child, line 30, column parent_id: "oops"\)/);
    expect(err.message).to.include('[statement: COPY "app"."child" ("id", "parent_id", "label") FROM stdin]');
    expect(err.message).to.include('No table was imported before it.');
    expect(await rowCount(db, 'app.child')).to.equal(0);
  });

  it('names the batch of a failing csv row and leaves the table empty', async () => {
    const dir = await buildTestPackage(
      fx.work,
      `hfitVersion: 1
templateName: f
packageName: bad_csv
exports:
  schema.sql: { type: dbcreate, data: { dbms: pgsrc, tablelist: [app] } }
  a_child.data.csv: { type: table-data, data: { dbms: pgsrc, table: app.child, format: csv } }
`,
      [{ ...fx.pgSource.source, name: 'pgsrc' }],
    );
    await rewritePackageFile(dir, 'a_child.data.csv', (text) => text.replace(/\r\n12,\d+,/, '\r\n12,x12,'));
    const db = await target('postgres');

    const err = await rejection(importPackage(dir, { target: targetUrl(db) }));
    expect((err as ImportFailedError).point).to.deep.include({ file: 'a_child.data.csv', statement: 1, unit: 'batch', line: 2 });
    expect(err.message).to.include('statement 1 (INSERT batch, rows from line 2): 22P02: invalid input syntax for type integer: "x12"');
    expect(err.message).to.include('[statement: INSERT INTO "app"."child" ("id", "parent_id", "label") OVERRIDING SYSTEM VALUE …]');
    expect(await rowCount(db, 'app.child')).to.equal(0);
  });

  it('refuses a data file that holds more than rows, before running that statement', async () => {
    const dir = await mysqlPackage('bad_statement');
    await rewritePackageFile(dir, 'a_child.data.sql', (text) => text.replace('INSERT INTO', 'DROP TABLE `parent`;\nINSERT INTO'));
    const db = await target('mysql');

    const err = await rejection(importPackage(dir, { target: targetUrl(db) }));
    expect(err.message).to.match(/a_child\.data\.sql, statement 11 \(line 11\): a data file may hold only SET, INSERT statements, not DROP: refused/);
    expect(await rowCount(db, 'parent')).to.equal(PARENT_ROWS);
  });

  it('stops when aborted, rolling back the table being loaded', async () => {
    const dir = await mysqlPackage('aborted', 5);
    const db = await target('mysql');
    const controller = new AbortController();
    const reason = new Error('user pressed ctrl-c');
    const err = await rejection(
      importPackage(dir, {
        target: targetUrl(db),
        signal: controller.signal,
        onProgress: (e) => {
          if (e.type === 'rows' && e.table.endsWith('.child') && e.rows >= 10) controller.abort(reason);
        },
      }),
    );
    expect(err).to.equal(reason);
    expect(await rowCount(db, 'child')).to.equal(0);
    expect(await rowCount(db, 'parent')).to.equal(PARENT_ROWS);
    expect(await tableCount(db)).to.equal(2);
  });
});
