import { expect } from 'chai';
import type { SourceConfig } from '@hfit/config';
import { DatabaseListSchema, SourceListSchema, TableListSchema } from '@hfit/contracts';
import { createScratchDatabase, testSourceConfig, type ScratchDatabase } from '@hfit/db/testing';
import type { SourceType } from '@hfit/db';
import { connectionId, serverHasConnection, SessionRecorder } from '../testing/session-recorder.js';
import { databaseExists } from './database-exists.js';
import { listDatabases } from './list-databases.js';
import { listSources } from './list-sources.js';
import { listTables } from './list-tables.js';
import { sourceExists } from './source-exists.js';
import { tableExists } from './table-exists.js';

/** Parent and child tables (with a foreign key) and a table without a primary key. */
async function createFixture(scratch: ScratchDatabase): Promise<string> {
  if (scratch.type === 'mysql') {
    await scratch.exec(`CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, price DECIMAL(10,2) NULL);
      CREATE TABLE child (id INT, part INT, item_id INT NOT NULL, PRIMARY KEY (id, part),
        CONSTRAINT fk_item FOREIGN KEY (item_id) REFERENCES items (id));
      CREATE TABLE nokey (v TEXT)`);
    return scratch.name;
  }
  await scratch.exec(`CREATE SCHEMA app; CREATE SCHEMA other;
    CREATE TABLE app.items (id int PRIMARY KEY, name varchar(20) NOT NULL, price numeric(10,2));
    CREATE TABLE app.child (id int, part int, item_id int NOT NULL, PRIMARY KEY (id, part),
      CONSTRAINT fk_item FOREIGN KEY (item_id) REFERENCES app.items (id));
    CREATE TABLE app.nokey (v text);
    CREATE TABLE other.hidden (id int PRIMARY KEY)`);
  return 'app';
}

describe('listSources / sourceExists', () => {
  const config = {
    sources: [
      testSourceConfig('mysql', 'orders', { password: 'secret-pw' }),
      testSourceConfig('postgres', 'billing', { host: 'db.internal', user: 'reader' }),
    ],
  };

  it('lists name and type only, in configuration order, never host, user or password', () => {
    const list = listSources(config);
    expect(list).to.deep.equal([
      { name: 'orders', type: 'mysql' },
      { name: 'billing', type: 'postgres' },
    ]);
    expect(JSON.stringify(list)).not.to.match(/secret-pw|db\.internal|reader|127\.0\.0\.1|3306/);
    expect(SourceListSchema.parse(list)).to.deep.equal(list);
  });

  it('tells configured sources from unknown ones without connecting', () => {
    expect(sourceExists(config, 'orders')).to.equal(true);
    expect(sourceExists(config, 'nope')).to.equal(false);
    expect(sourceExists(config, '')).to.equal(false);
  });
});

for (const type of ['mysql', 'postgres'] as SourceType[]) {
  describe(`browse sources (${type})`, function () {
    this.timeout(60_000);
    let scratch: ScratchDatabase;
    let db: string;
    let source: SourceConfig;
    const config = () => ({ sources: [source] });

    beforeEach(async () => {
      scratch = await createScratchDatabase(type);
      db = await createFixture(scratch);
      source = { ...scratch.source, name: 'src' };
    });
    afterEach(async () => scratch.drop());

    describe('listDatabases', () => {
      it('lists the readable databases/schemas without system ones', async () => {
        if (type === 'mysql') {
          // The scratch source is restricted to its database; without the restriction the server's
          // other databases show, the system ones never.
          expect(await listDatabases(config(), 'src')).to.deep.equal([scratch.name]);
          const all = await listDatabases({ sources: [{ ...source, databases: [] }] }, 'src');
          expect(all).to.include(scratch.name);
          expect(all.map((d) => d.toLowerCase())).not.to.include('mysql');
          expect(all.map((d) => d.toLowerCase())).not.to.include('information_schema');
          expect(all.map((d) => d.toLowerCase())).not.to.include('performance_schema');
        } else {
          expect(await listDatabases(config(), 'src')).to.deep.equal(['app', 'other', 'public']);
        }
      });

      it('keeps to the source\'s configured databases', async () => {
        const restricted = { sources: [{ ...source, databases: [db, 'not_there'] }] };
        const list = await listDatabases(restricted, 'src');
        expect(list).to.deep.equal([db]);
        expect(DatabaseListSchema.parse(list)).to.deep.equal(list);
      });

      it('names the configured sources for an unknown one', async () => {
        const err = await listDatabases(config(), 'nope').then(
          () => expect.fail('should reject'),
          (e: { code: string; message: string }) => e,
        );
        expect(err.code).to.equal('SOURCE_UNKNOWN');
        expect(err.message).to.contain('"nope"').and.to.contain('src');
      });
    });

    describe('listTables', () => {
      it('lists base tables sorted, with columns, primary keys and foreign keys', async () => {
        const tables = await listTables(config(), 'src', db);
        expect(tables.map((t) => t.name)).to.deep.equal(['child', 'items', 'nokey']);
        const [child, items, nokey] = tables;
        const types =
          type === 'mysql'
            ? { int: /^int(\(11\))?$/, name: 'varchar(20)', price: 'decimal(10,2)', text: 'text' }
            : { int: /^integer$/, name: 'character varying(20)', price: 'numeric(10,2)', text: 'text' };
        expect(items!.columns.map((c) => c.name)).to.deep.equal(['id', 'name', 'price']);
        expect(items!.columns[0]!.type).to.match(types.int);
        expect(items!.columns.slice(1)).to.deep.equal([
          { name: 'name', type: types.name, nullable: false },
          { name: 'price', type: types.price, nullable: true },
        ]);
        expect(items!.columns[0]!.nullable).to.equal(false);
        expect(items!.primaryKey).to.deep.equal(['id']);
        expect(items!.foreignKeys).to.deep.equal([]);
        expect(child!.primaryKey).to.deep.equal(['id', 'part']);
        expect(child!.foreignKeys).to.deep.equal([{ name: 'fk_item', columns: ['item_id'], refDatabase: db, refTable: 'items', refColumns: ['id'] }]);
        expect(nokey).to.deep.equal({ name: 'nokey', columns: [{ name: 'v', type: types.text, nullable: true }], primaryKey: [], foreignKeys: [] });
        expect(TableListSchema.parse(tables)).to.deep.equal(tables);
      });

      it('rejects a database outside the allow-list with DATABASE_UNKNOWN naming the readable ones', async () => {
        const restricted = { sources: [{ ...source, databases: [db] }] };
        for (const name of ['information_schema', 'nope', "x' OR '1'='1"]) {
          const err = await listTables(restricted, 'src', name).then(
            () => expect.fail('should reject'),
            (e: { code: string; message: string }) => e,
          );
          expect(err.code, name).to.equal('DATABASE_UNKNOWN');
          expect(err.message).to.contain(`"${name}"`).and.to.contain(db);
        }
      });

      it('closes its session after answering and after failing', async () => {
        const recorder = new SessionRecorder();
        await listTables(config(), 'src', db, { openSession: recorder.openSession });
        await listTables(config(), 'src', 'nope', { openSession: recorder.openSession }).catch(() => undefined);
        expect(recorder.sessions).to.have.length(2);
        for (const s of recorder.sessions) expect(await serverHasConnection(scratch, connectionId(s))).to.equal(false);
      });
    });

    describe('databaseExists / tableExists', () => {
      it('answers true for what the lists show and false for anything unknown', async () => {
        expect(await databaseExists(config(), 'src', db)).to.equal(true);
        expect(await databaseExists(config(), 'src', 'nope')).to.equal(false);
        expect(await databaseExists(config(), 'nope', db)).to.equal(false);
        expect(await tableExists(config(), 'src', db, 'items')).to.equal(true);
        expect(await tableExists(config(), 'src', db, 'ITEMS_nope')).to.equal(false);
        expect(await tableExists(config(), 'src', 'nope', 'items')).to.equal(false);
        expect(await tableExists(config(), 'nope', db, 'items')).to.equal(false);
        expect(await tableExists(config(), 'src', db, "items' OR '1'='1")).to.equal(false);
      });

      it('hides databases and tables outside the configured allow-list', async () => {
        if (type === 'postgres') {
          expect(await tableExists(config(), 'src', 'other', 'hidden')).to.equal(true);
          const restricted = { sources: [{ ...source, databases: ['app'] }] };
          expect(await databaseExists(restricted, 'src', 'other')).to.equal(false);
          expect(await tableExists(restricted, 'src', 'other', 'hidden')).to.equal(false);
        } else {
          const restricted = { sources: [{ ...source, databases: ['somewhere_else'] }] };
          expect(await databaseExists(restricted, 'src', db)).to.equal(false);
          expect(await tableExists(restricted, 'src', db, 'items')).to.equal(false);
        }
      });

      it('never sends the names asked about to the server: they are compared with the catalog lists', async () => {
        const recorder = new SessionRecorder();
        const marker = 'zz_marker_name';
        expect(await tableExists(config(), 'src', db, marker, { openSession: recorder.openSession })).to.equal(false);
        expect(await tableExists(config(), 'src', marker, 'items', { openSession: recorder.openSession })).to.equal(false);
        expect(recorder.statements.length).to.be.above(0);
        for (const s of recorder.statements) expect(JSON.stringify(s)).not.to.contain(marker);
      });
    });
  });
}
