import { expect } from 'chai';
import { sql } from 'kysely';
import { createScratchDatabase, type ScratchDatabase } from '../testing/index.js';
import { openExtractionSession } from './extraction-session.js';
import type { SourceType } from './source-connection.js';

for (const type of ['mysql', 'postgres'] as SourceType[]) {
  describe(`extraction session (${type})`, () => {
    let scratch: ScratchDatabase;
    const db = (s: ScratchDatabase) => (type === 'mysql' ? s.name : 'app');
    beforeEach(async () => {
      scratch = await createScratchDatabase(type);
      if (type === 'postgres') await scratch.exec('CREATE SCHEMA app');
      const t = type === 'mysql' ? `\`${scratch.name}\`.items` : 'app.items';
      await scratch.exec(`CREATE TABLE ${t} (id INT PRIMARY KEY, name VARCHAR(20))`);
      await scratch.exec(`INSERT INTO ${t} VALUES (1, 'a'), (2, 'b')`);
    });
    afterEach(async () => scratch.drop());

    it('sees one snapshot: rows committed after it started stay invisible', async () => {
      const session = await openExtractionSession(scratch.source);
      try {
        const t = sql.table(`${db(scratch)}.items`);
        const count = async () => Number((await sql<{ n: string }>`SELECT COUNT(*) AS n FROM ${t}`.execute(session.connection.kysely)).rows[0]?.n);
        expect(await count()).to.equal(2);
        await scratch.exec(`INSERT INTO ${type === 'mysql' ? `\`${scratch.name}\`.items` : 'app.items'} VALUES (3, 'c')`);
        expect(await count()).to.equal(2);
      } finally {
        await session.close();
      }
    });

    it('refuses writes (read-only transaction)', async () => {
      const session = await openExtractionSession(scratch.source);
      try {
        const t = sql.table(`${db(scratch)}.items`);
        let failed: unknown;
        await sql`INSERT INTO ${t} VALUES (9, 'x')`.execute(session.connection.kysely).catch((e: unknown) => (failed = e));
        expect(String(failed)).to.match(/read.only|READ ONLY/i);
      } finally {
        await session.close();
      }
    });

    it('introspects databases, tables, columns and keys; unknown names are typed errors', async () => {
      if (type === 'mysql') {
        await scratch.exec(`CREATE TABLE \`${scratch.name}\`.child (id INT PRIMARY KEY, item_id INT, CONSTRAINT fk_item FOREIGN KEY (item_id) REFERENCES \`${scratch.name}\`.items(id))`);
      } else {
        await scratch.exec('CREATE TABLE app.child (id INT PRIMARY KEY, item_id INT, CONSTRAINT fk_item FOREIGN KEY (item_id) REFERENCES app.items(id))');
      }
      const session = await openExtractionSession(scratch.source);
      try {
        const { catalog } = session;
        expect(await catalog.listDatabases()).to.include(db(scratch));
        expect(await catalog.listTables(db(scratch))).to.deep.equal(['child', 'items']);
        const child = await catalog.table(`${db(scratch)}.child`);
        expect(child.columns.map((c) => c.name)).to.deep.equal(['id', 'item_id']);
        expect(child.primaryKey).to.deep.equal(['id']);
        expect(child.foreignKeys).to.deep.equal([
          { name: 'fk_item', columns: ['item_id'], refDatabase: db(scratch), refTable: 'items', refColumns: ['id'] },
        ]);
        await catalog.table(`${db(scratch)}.nope`).then(
          () => expect.fail('should reject'),
          (e: { code: string; message: string }) => {
            expect(e.code).to.equal('TABLE_UNKNOWN');
            expect(e.message).to.contain('nope');
          },
        );
        await catalog.table('nodb.items').then(
          () => expect.fail('should reject'),
          (e: { code: string }) => expect(e.code).to.equal('DATABASE_UNKNOWN'),
        );
        expect(() => catalog.column(child, 'missing')).to.throw(/no column "missing"/);
      } finally {
        await session.close();
      }
    });
  });
}
