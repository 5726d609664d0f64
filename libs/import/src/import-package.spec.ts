import { expect } from 'chai';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { RowFormat } from '@hfit/contracts';
import { createScratchDatabase, TEST_SERVERS } from '@hfit/db/testing';
import type { ImportEvent } from './import-event.js';
import { importPackage } from './import-package.js';
import { buildTestPackage } from './testing/build-test-package.js';
import { CHILD_ROWS, PARENT_ROWS } from './testing/source-fixtures.js';
import { targetUrl } from './testing/target-url.js';
import { useImportFixture } from './testing/use-import-fixture.js';

describe('importPackage: round trips through real packages', function () {
  this.timeout(180_000);
  const fx = useImportFixture({ workPrefix: 'hfit-import-', seedSources: true });
  const { target } = fx;

  const mysqlTemplate = (name: string) => `hfitVersion: 1
templateName: rt
packageName: ${name}
exports:
  schema.sql: { type: dbcreate, data: { dbms: my, tablelist: [${fx.mySource.name}] } }
  a_child.data: { type: table-data, data: { dbms: my, table: ${fx.mySource.name}.child } }
  b_parent.data: { type: table-data, data: { dbms: my, table: ${fx.mySource.name}.parent } }
`;
  const pgTemplate = (name: string) => `hfitVersion: 1
templateName: rt
packageName: ${name}
exports:
  schema.sql: { type: dbcreate, data: { dbms: pgsrc, tablelist: [app] } }
  a_child.data: { type: table-data, data: { dbms: pgsrc, table: app.child } }
  b_parent.data: { type: table-data, data: { dbms: pgsrc, table: app.parent } }
`;

  for (const format of ['sql', 'csv', 'ndjson'] as const satisfies readonly RowFormat[]) {
    it(`MySQL/MariaDB, ${format} rows: every row comes back as it was, parents first, checks on again afterwards`, async () => {
      const dir = await buildTestPackage(fx.work, mysqlTemplate(`rt_my_${format}`), [{ ...fx.mySource.source, name: 'my' }], { rowFormat: format, batchSize: 7 });
      const db = await target('mysql');
      const events: ImportEvent[] = [];
      const report = await importPackage(dir, { target: targetUrl(db), onProgress: (e) => events.push(e) });

      expect(report.target).to.deep.equal({ dialect: 'mysql', database: db.name, created: false });
      expect(report.ddl.map((d) => d.file)).to.deep.equal(['schema.sql']);
      expect(report.tables.map((t) => [t.table, t.file, t.rows])).to.deep.equal([
        [`${db.name}.parent`, 'b_parent.data', PARENT_ROWS],
        [`${db.name}.child`, 'a_child.data', CHILD_ROWS],
      ]);
      expect(report.skipped).to.deep.equal([]);
      for (const table of ['parent', 'child']) {
        const source = await fx.mySource.query(`SELECT * FROM \`${table}\` ORDER BY id`);
        const imported = await db.query(`SELECT * FROM \`${table}\` ORDER BY id`);
        expect(imported, table).to.deep.equal(source);
      }
      expect(events.filter((e) => e.type === 'table-committed').map((e) => e.type === 'table-committed' && e.rows)).to.deep.equal([PARENT_ROWS, CHILD_ROWS]);
      const progress = events.flatMap((e) => (e.type === 'rows' && e.file === 'a_child.data' ? [e.rows] : []));
      expect(progress.at(-1)).to.equal(CHILD_ROWS);
      // sql files report after each INSERT (7 rows each here); csv/ndjson after each batch (1000 rows).
      expect(progress).to.have.length(format === 'sql' ? Math.ceil(CHILD_ROWS / 7) : 1);

      // The import's sessions are gone and the server's settings untouched: a new session enforces the key.
      const conn = await mysql.createConnection({ ...TEST_SERVERS.mysql, database: db.name });
      try {
        const [[fkc]] = (await conn.query('SELECT @@SESSION.foreign_key_checks AS s, @@GLOBAL.foreign_key_checks AS g')) as unknown as [{ s: number; g: number }[]];
        expect(fkc).to.deep.equal({ s: 1, g: 1 });
        let refused: unknown;
        await conn.query('INSERT INTO child (id, parent_id, label) VALUES (1000, 9999, "orphan")').catch((e: unknown) => (refused = e));
        expect((refused as { code?: string } | undefined)?.code).to.equal('ER_NO_REFERENCED_ROW_2');
      } finally {
        await conn.end();
      }
    });
  }

  for (const format of ['sql', 'copy', 'csv', 'ndjson'] as const satisfies readonly RowFormat[]) {
    it(`PostgreSQL, ${format} rows: every row comes back as it was, schemas as in the package`, async () => {
      const dir = await buildTestPackage(fx.work, pgTemplate(`rt_pg_${format}`), [{ ...fx.pgSource.source, name: 'pgsrc' }], { rowFormat: format, batchSize: 7 });
      const db = await target('postgres');
      const report = await importPackage(dir, { target: targetUrl(db) });

      expect(report.target).to.deep.equal({ dialect: 'postgres', database: db.name, created: false });
      expect(report.warnings).to.deep.equal([]);
      expect(report.tables.map((t) => [t.table, t.rows])).to.deep.equal([
        ['app.parent', PARENT_ROWS],
        ['app.child', CHILD_ROWS],
      ]);
      for (const table of ['app.parent', 'app.child']) {
        const sql = `SELECT t::text AS r FROM ${table} t ORDER BY id`;
        expect(await db.query(sql), table).to.deep.equal(await fx.pgSource.query(sql));
      }
      // Sequences continue after the imported keys; the foreign key is there and enforced again.
      expect(await db.query("SELECT nextval('app.child_id_seq')::int AS n")).to.deep.equal([{ n: CHILD_ROWS + 1 }]);
      const client = new pg.Client({ ...TEST_SERVERS.postgres, database: db.name });
      await client.connect();
      try {
        expect((await client.query('SHOW session_replication_role')).rows).to.deep.equal([{ session_replication_role: 'origin' }]);
        let refused: unknown;
        await client.query("INSERT INTO app.child (parent_id, label) VALUES (9999, 'orphan')").catch((e: unknown) => (refused = e));
        expect((refused as { code?: string } | undefined)?.code).to.equal('23503');
      } finally {
        await client.end();
      }
    });
  }

  it('PostgreSQL without the privilege to turn checks off: loads parents first, warns, and fails on rows without parents', async () => {
    const role = `hfit_imp_role_${process.pid}`;
    const [db, orphans] = [await createScratchDatabase('postgres', 'hfit_imp'), await createScratchDatabase('postgres', 'hfit_imp')];
    await fx.pgSource.exec(`CREATE ROLE ${role} LOGIN; ALTER DATABASE ${db.name} OWNER TO ${role}; ALTER DATABASE ${orphans.name} OWNER TO ${role}`);
    fx.cleanup(async () => {
      await Promise.all([db.drop(), orphans.drop()]);
      await fx.pgSource.exec(`DROP ROLE IF EXISTS ${role}`);
    });
    const s = TEST_SERVERS.postgres;
    const url = (name: string) => `postgres://${role}@${s.host}:${s.port}/${name}`;

    const dir = await buildTestPackage(fx.work, pgTemplate('rt_role'), [{ ...fx.pgSource.source, name: 'pgsrc' }]);
    const report = await importPackage(dir, { target: url(db.name) });
    expect(report.warnings).to.have.length(1);
    expect(report.warnings[0]).to.match(/^foreign-key checks stay on: user hfit_imp_role_\d+ may not set session_replication_role/);
    expect(report.tables.map((t) => [t.table, t.rows])).to.deep.equal([
      ['app.parent', PARENT_ROWS],
      ['app.child', CHILD_ROWS],
    ]);

    const filtered = await buildTestPackage(
      fx.work,
      pgTemplate('rt_role_orphans').replace('table: app.parent }', 'table: app.parent, filter: "id > 5" }'),
      [{ ...fx.pgSource.source, name: 'pgsrc' }],
    );
    let err: unknown;
    await importPackage(filtered, { target: url(orphans.name) }).catch((e: unknown) => (err = e));
    expect(err).to.have.property('code', 'IMPORT_FAILED');
    expect((err as Error).message).to.match(/failed at a_child\.data, statement \d+ \(line \d+\): 23503: insert or update on table "child" violates foreign key constraint/);
  });

  it('imports only the target dialect’s files of a mixed package and reports the others as skipped', async () => {
    const template = `hfitVersion: 1
templateName: mixed
packageName: mixed
exports:
  my.schema.sql: { type: dbcreate, data: { dbms: my, tablelist: [${fx.mySource.name}] } }
  my_parent.data.sql: { type: table-data, data: { dbms: my, table: ${fx.mySource.name}.parent, filter: "id <= 3" } }
  pg.create.sql: { type: table-create, data: { dbms: pgsrc, tablelist: [app.parent] } }
  pg_parent.data.sql: { type: table-data, data: { dbms: pgsrc, table: app.parent, filter: "id <= 4", format: copy } }
`;
    const dir = await buildTestPackage(fx.work, template, [
      { ...fx.mySource.source, name: 'my' },
      { ...fx.pgSource.source, name: 'pgsrc' },
    ]);
    const [my, pgTarget] = await Promise.all([target('mysql'), target('postgres')]);

    const intoMysql = await importPackage(dir, { target: targetUrl(my) });
    expect(intoMysql.tables.map((t) => [t.file, t.rows])).to.deep.equal([['my_parent.data.sql', 3]]);
    expect(intoMysql.skipped).to.deep.equal([
      { file: 'pg.create.sql', reason: 'source "pgsrc" is PostgreSQL; the target is MySQL/MariaDB' },
      { file: 'pg_parent.data.sql', reason: 'source "pgsrc" is PostgreSQL; the target is MySQL/MariaDB' },
    ]);

    const intoPostgres = await importPackage(dir, { target: targetUrl(pgTarget) });
    expect(intoPostgres.ddl.map((d) => d.file)).to.deep.equal(['pg.create.sql']);
    expect(intoPostgres.tables.map((t) => [t.table, t.rows])).to.deep.equal([['app.parent', 4]]);
    expect(intoPostgres.skipped.map((s) => s.file)).to.deep.equal(['my.schema.sql', 'my_parent.data.sql']);
    expect(await pgTarget.query('SELECT count(*)::int AS n FROM app.parent')).to.deep.equal([{ n: 4 }]);
  });

  it('creates the target database when asked, and otherwise says it is missing without showing the password', async () => {
    const dir = await buildTestPackage(fx.work, pgTemplate('rt_create'), [{ ...fx.pgSource.source, name: 'pgsrc' }]);
    const name = `hfit_imp_new_${process.pid}_${Date.now()}`;
    const s = TEST_SERVERS.postgres;
    const url = `postgres://${s.user}:sekret@${s.host}:${s.port}/${name}`;
    let missing: unknown;
    await importPackage(dir, { target: url }).catch((e: unknown) => (missing = e));
    expect(missing).to.have.property('code', 'IMPORT_TARGET_INVALID');
    expect((missing as Error).message).to.include(`database "${name}" does not exist`).and.not.include('sekret');

    fx.cleanup(() => dropPostgresDatabase(name));
    const report = await importPackage(dir, { target: url, createDatabase: true });
    expect(report.target).to.deep.equal({ dialect: 'postgres', database: name, created: true });
    expect(report.tables.map((t) => t.rows)).to.deep.equal([PARENT_ROWS, CHILD_ROWS]);
  });
});

async function dropPostgresDatabase(name: string): Promise<void> {
  const c = new pg.Client({ ...TEST_SERVERS.postgres, database: 'postgres' });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}
