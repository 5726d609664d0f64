import { expect } from 'chai';
import { openExtractionSession } from '../connection/extraction-session.js';
import type { SourceType } from '../connection/source-connection.js';
import { createScratchDatabase, type ScratchDatabase } from '../testing/index.js';
import type { DdlOptions } from './ddl-options.js';
import { readDatabaseDdl } from './read-database-ddl.js';
import { createDdlFixture, fixtureDatabase } from './testing/ddl-fixture.js';
import { loadSqlScript } from './testing/load-sql-script.js';

for (const type of ['mysql', 'postgres'] as SourceType[]) {
  describe(`readDatabaseDdl (${type})`, () => {
    const scratches: ScratchDatabase[] = [];
    const scratch = async () => {
      const s = await createScratchDatabase(type);
      scratches.push(s);
      return s;
    };
    let source: ScratchDatabase;
    beforeEach(async () => {
      source = await scratch();
      await createDdlFixture(source);
    });
    afterEach(async () => {
      for (const s of scratches.splice(0)) await s.drop();
    });

    const exportFrom = async (s: ScratchDatabase, opts: DdlOptions = {}, databases = [fixtureDatabase(s)]) => {
      const session = await openExtractionSession(s.source);
      try {
        return await readDatabaseDdl(session, databases, opts);
      } finally {
        await session.close();
      }
    };

    /**
     * Where a database script is loaded. MySQL scripts name their database, so the source database
     * is dropped first and the script recreates it on the same server; PostgreSQL scripts create a
     * schema and go into a fresh database.
     */
    const target = async (): Promise<ScratchDatabase> => {
      if (type === 'mysql') {
        await source.exec(`DROP DATABASE \`${source.name}\``);
        return source;
      }
      return scratch();
    };
    const load = (t: ScratchDatabase, script: string) => loadSqlScript(type, script, type === 'mysql' ? undefined : t.name);

    for (const option of [undefined, 'dropcreate', 'ifnotexists'] as const) {
      it(`round-trips through the stock client byte for byte (option: ${option ?? 'none'})`, async () => {
        const ddl = await exportFrom(source, { option });
        const t = await target();
        await load(t, ddl);
        if (option) await load(t, ddl); // both options are meant to be loadable again
        expect(await exportFrom(t, { option })).to.equal(ddl);
        expect(await exportFrom(t, { option })).to.equal(ddl);
      });
    }

    it('starts with the database and its settings', async () => {
      const ddl = await exportFrom(source);
      if (type === 'mysql') {
        expect(ddl).to.contain(`CREATE DATABASE \`${source.name}\` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci */;\nUSE \`${source.name}\`;`);
        expect(ddl.indexOf('USE ')).to.be.lessThan(ddl.indexOf('CREATE TABLE'));
        expect(await exportFrom(source, { option: 'ifnotexists' })).to.contain('CREATE DATABASE IF NOT EXISTS');
      } else {
        expect(ddl).to.contain(`CREATE SCHEMA "app";\nCOMMENT ON SCHEMA "app" IS 'the application';`);
        expect(ddl.indexOf('CREATE SCHEMA "app"')).to.be.lessThan(ddl.indexOf('CREATE TYPE'));
        // The script owns the schema's types: plain CREATE TYPE, no guard.
        expect(ddl).to.contain('CREATE TYPE "app"."mood" AS ENUM');
        expect(ddl).not.to.contain('DO $hfit$');
        expect(await exportFrom(source, { option: 'ifnotexists' })).to.contain('CREATE SCHEMA IF NOT EXISTS "app";');
      }
    });

    it('exports several databases, each with its tables', async () => {
      const second = await scratch();
      let databases: string[];
      let sourceConfig = source.source;
      if (type === 'mysql') {
        await second.exec('CREATE TABLE notes (id INT PRIMARY KEY, body TEXT)');
        databases = [second.name, source.name];
        sourceConfig = { ...source.source, databases };
      } else {
        await source.exec('CREATE SCHEMA "Audit"; CREATE TABLE "Audit".log (id int PRIMARY KEY, customer_id int REFERENCES app.customers(id))');
        databases = ['app', 'Audit'];
      }
      const session = await openExtractionSession(sourceConfig);
      let ddl: string;
      try {
        ddl = await readDatabaseDdl(session, databases);
      } finally {
        await session.close();
      }
      if (type === 'mysql') {
        const [a, b] = [source.name, second.name].sort();
        expect(ddl.indexOf(`USE \`${a}\``)).to.be.within(0, ddl.indexOf(`USE \`${b}\``));
        expect(ddl.indexOf('CREATE TABLE `notes`')).to.be.greaterThan(ddl.indexOf(`USE \`${second.name}\``));
      } else {
        expect(ddl).to.contain('CREATE SCHEMA "Audit";');
        expect(ddl).to.contain('CREATE TABLE "Audit"."log"');
        // app.customers comes before "Audit".log, which references it.
        expect(ddl.indexOf('CREATE TABLE "app"."customers"')).to.be.lessThan(ddl.indexOf('CREATE TABLE "Audit"."log"'));
        const t = await scratch();
        await load(t, ddl);
      }
    });

    it('rejects unknown databases with a typed error naming them', async () => {
      const session = await openExtractionSession(source.source);
      try {
        await readDatabaseDdl(session, ['no_such_db']).then(
          () => expect.fail('should reject'),
          (e: { code: string; message: string; field?: string }) => {
            expect(e.code).to.equal('DATABASE_UNKNOWN');
            expect(e.message).to.contain('no_such_db');
            expect(e.field).to.equal('tablelist.0');
          },
        );
        await readDatabaseDdl(session, []).then(
          () => expect.fail('should reject'),
          (e: { code: string }) => expect(e.code).to.equal('TEMPLATE_INVALID'),
        );
      } finally {
        await session.close();
      }
    });

    if (type === 'postgres') {
      it('brings along types from other schemas, creating that schema only if missing', async () => {
        await source.exec("CREATE SCHEMA lookup; CREATE TYPE lookup.color AS ENUM ('red', 'blue'); ALTER TABLE app.tickets ADD COLUMN color lookup.color");
        const ddl = await exportFrom(source);
        expect(ddl).to.contain('CREATE SCHEMA IF NOT EXISTS "lookup";');
        expect(ddl).to.match(/DO \$hfit\$\nBEGIN\nCREATE TYPE "lookup"."color" AS ENUM/);
        const t = await scratch();
        await load(t, ddl);
        expect(await exportFrom(t)).to.equal(ddl);
      });
    }
  });
}
