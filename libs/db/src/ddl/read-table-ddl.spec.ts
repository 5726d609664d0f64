import { expect } from 'chai';
import { sql } from 'kysely';
import { openExtractionSession } from '../connection/extraction-session.js';
import type { SourceType } from '../connection/source-connection.js';
import { createScratchDatabase, type ScratchDatabase } from '../testing/index.js';
import type { DdlOptions } from './ddl-options.js';
import { readTableDdl } from './read-table-ddl.js';
import { createDdlFixture, fixtureDatabase, fixtureTables } from './testing/ddl-fixture.js';
import { loadSqlScript } from './testing/load-sql-script.js';

for (const type of ['mysql', 'postgres'] as SourceType[]) {
  describe(`readTableDdl (${type})`, () => {
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

    /** Exports the fixture tables of a database with a fresh session. */
    const exportFrom = async (s: ScratchDatabase, opts: DdlOptions = {}, tables = fixtureTables(type)) => {
      const session = await openExtractionSession(s.source);
      try {
        return await readTableDdl(session, tables.map((t) => `${fixtureDatabase(s)}.${t}`), opts);
      } finally {
        await session.close();
      }
    };
    /** Loads a script into a scratch database the way a user would, with the stock client. */
    const load = (s: ScratchDatabase, script: string) => loadSqlScript(type, script, s.name);

    it('loads into a fresh database with the stock client and re-exports byte for byte', async () => {
      const ddl = await exportFrom(source);
      const target = await scratch();
      await load(target, ddl);
      expect(await exportFrom(target)).to.equal(ddl);
    });

    it('is deterministic: same schema, any list order or duplicates, same bytes', async () => {
      const a = await exportFrom(source);
      const b = await exportFrom(source, {}, [...fixtureTables(type)].reverse().concat(fixtureTables(type)));
      expect(b).to.equal(a);
      expect(a).not.to.match(/\d{4}-\d{2}-\d{2}T|\d{2}:\d{2}:\d{2}\.\d/); // no timestamps in the header
    });

    it('orders tables so referenced ones come first; a cycle still loads', async () => {
      const ddl = await exportFrom(source);
      const at = (t: string) => ddl.search(type === 'mysql' ? new RegExp(`CREATE TABLE \`${t}\``) : new RegExp(`CREATE TABLE "app"\\."${t}"`));
      expect(at('customers')).to.be.within(0, at('orders'));
      if (type === 'postgres') {
        expect(at('orders')).to.be.within(0, at('OrderLines'));
        // fk_a_b closes the cycle cycle_a <-> cycle_b: added once both tables exist.
        expect(ddl).to.contain('ALTER TABLE ONLY "app"."cycle_a" ADD CONSTRAINT "fk_a_b" FOREIGN KEY (b_id) REFERENCES app.cycle_b(id);');
        expect(ddl.indexOf('ADD CONSTRAINT "fk_a_b"')).to.be.greaterThan(at('cycle_b'));
      } else {
        expect(ddl).to.contain('SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0;');
        expect(ddl).to.contain('SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS;');
      }
    });

    it('dropcreate loads twice in a row', async () => {
      const ddl = await exportFrom(source, { option: 'dropcreate' });
      expect(ddl).to.contain('DROP TABLE IF EXISTS');
      const target = await scratch();
      await load(target, ddl);
      await load(target, ddl);
      expect(await exportFrom(target, { option: 'dropcreate' })).to.equal(ddl);
    });

    it('ifnotexists loads twice in a row', async () => {
      const ddl = await exportFrom(source, { option: 'ifnotexists' });
      expect(ddl).to.contain('CREATE TABLE IF NOT EXISTS');
      expect(ddl).not.to.match(/CREATE TABLE (?!IF NOT EXISTS)/);
      const target = await scratch();
      await load(target, ddl);
      await load(target, ddl);
      expect(await exportFrom(target, { option: 'ifnotexists' })).to.equal(ddl);
    });

    it('plain CREATE (no option) fails on a second load', async () => {
      const ddl = await exportFrom(source);
      const target = await scratch();
      await load(target, ddl);
      await load(target, ddl).then(
        () => expect.fail('second load should fail'),
        (e: Error) => expect(e.message).to.match(/already exists/),
      );
    });

    it('names unknown databases and tables, bad options and empty lists with typed errors', async () => {
      const session = await openExtractionSession(source.source);
      try {
        const db = fixtureDatabase(source);
        const failure = (p: Promise<unknown>) => p.then(() => expect.fail('should reject'), (e: { code: string; message: string }) => e);
        const t = await failure(readTableDdl(session, [`${db}.customers`, `${db}.nope`]));
        expect(t.code).to.equal('TABLE_UNKNOWN');
        expect(t.message).to.contain('nope');
        expect((await failure(readTableDdl(session, ['nodb.customers']))).code).to.equal('DATABASE_UNKNOWN');
        expect((await failure(readTableDdl(session, ['customers']))).code).to.equal('TABLE_UNKNOWN');
        expect((await failure(readTableDdl(session, []))).code).to.equal('TEMPLATE_INVALID');
        const bad = await failure(readTableDdl(session, [`${db}.customers`], { option: 'replace' as never }));
        expect(bad.code).to.equal('TEMPLATE_INVALID');
        expect(bad.message).to.contain('"dropcreate", "ifnotexists"');
      } finally {
        await session.close();
      }
    });

    if (type === 'mysql') {
      it('uses unqualified names, strips AUTO_INCREMENT=N, keeps the rest of SHOW CREATE TABLE', async () => {
        const ddl = await exportFrom(source);
        expect(ddl).not.to.contain(source.name);
        expect(ddl).not.to.match(/\) ENGINE=InnoDB AUTO_INCREMENT=/);
        expect(ddl).to.contain("COMMENT='people who buy; AUTO_INCREMENT=7 here is text'");
        expect(ddl).to.contain('`id` int(11) NOT NULL AUTO_INCREMENT');
        expect(ddl).to.contain('`key` varchar(20)');
        expect(ddl).to.contain("`mood` enum('happy','sad','it''s complicated')");
        expect(ddl).to.contain("`flags` set('a','b','c')");
        expect(ddl).to.contain('SPATIAL KEY `sp_pos` (`pos`)');
        expect(ddl).to.contain('GENERATED ALWAYS AS (`qty` * `price`) STORED');
        expect(ddl).to.match(/^SET NAMES utf8mb4;$/m);
      });

      it('pins sql_mode while reading (ANSI_QUOTES would change the DDL) and restores it', async () => {
        const session = await openExtractionSession(source.source);
        try {
          await sql`SET SESSION sql_mode = 'ANSI_QUOTES'`.execute(session.connection.kysely);
          const ddl = await readTableDdl(session, [`${source.name}.customers`]);
          expect(ddl).to.contain('CREATE TABLE `customers`');
          const r = await sql<{ m: string }>`SELECT @@SESSION.sql_mode AS m`.execute(session.connection.kysely);
          expect(r.rows[0]?.m).to.equal('ANSI_QUOTES');
        } finally {
          await session.close();
        }
      });

      it('refuses tables of two databases that would share one unqualified name', async () => {
        const other = await scratch();
        await other.exec('CREATE TABLE customers (id INT PRIMARY KEY)');
        const session = await openExtractionSession({ ...source.source, databases: [source.name, other.name] });
        try {
          await readTableDdl(session, [`${source.name}.customers`, `${other.name}.customers`]).then(
            () => expect.fail('should reject'),
            (e: { code: string; message: string }) => {
              expect(e.code).to.equal('TEMPLATE_INVALID');
              expect(e.message).to.contain('separate table-create files');
            },
          );
        } finally {
          await session.close();
        }
      });
    } else {
      it('rebuilds types, sequences, identity, generated columns, constraints, indexes and comments', async () => {
        const ddl = await exportFrom(source);
        for (const part of [
          `CREATE TYPE "app"."mood" AS ENUM (\n    'happy',\n    'sad',\n    'it''s complicated'\n);`,
          `COMMENT ON TYPE "app"."mood" IS 'how they feel';`,
          'CREATE DOMAIN "app"."positive_int" AS integer DEFAULT 1 NOT NULL\n    CONSTRAINT "positive_int_check" CHECK ((VALUE > 0));',
          'CREATE DOMAIN "app"."calm_mood" AS app.mood',
          'CREATE SEQUENCE "app"."customers_id_seq"\n    AS integer',
          `SELECT pg_catalog.setval('"app"."customers_id_seq"', 2, true);`,
          `"id" integer DEFAULT nextval('app.customers_id_seq'::regclass) NOT NULL`,
          'ALTER SEQUENCE "app"."customers_id_seq" OWNED BY "app"."customers"."id";',
          '"id" bigint GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME "app"."orders_id_seq" START WITH 100 INCREMENT BY 5',
          `SELECT pg_catalog.setval('"app"."orders_id_seq"', 105, true);`,
          '"total" numeric GENERATED ALWAYS AS (((qty)::numeric * price)) STORED',
          '"name" text COLLATE "pg_catalog"."C"',
          '"past_moods" app.mood[]',
          `"tags" text[] DEFAULT '{}'::text[] NOT NULL`,
          '"key" text',
          '"order" integer',
          'CREATE TABLE "app"."OrderLines" (',
          'CONSTRAINT "OrderLines_pkey" PRIMARY KEY (order_id, line_no)',
          'CONSTRAINT "OrderLines_note_uq" UNIQUE (order_id, note)',
          'CONSTRAINT "orders_customer_id_fkey" FOREIGN KEY (customer_id) REFERENCES app.customers(id) ON DELETE CASCADE',
          'CONSTRAINT "orders_price_check" CHECK ((price >= (0)::numeric))',
          'CONSTRAINT "bookings_during_excl" EXCLUDE USING gist (during WITH &&)',
          'CREATE INDEX orders_big_idx ON app.orders USING btree (customer_id) WHERE ((qty)::integer > 10);',
          'CREATE INDEX customers_email_lower_idx ON app.customers USING btree (lower(email));',
          `COMMENT ON INDEX "app"."customers_email_lower_idx" IS 'expression index';`,
          `COMMENT ON TABLE "app"."customers" IS 'people who buy: it''s a table with a \\ backslash\nand a second line';`,
          `COMMENT ON COLUMN "app"."customers"."key" IS 'reserved word';`,
          ") WITH (fillfactor='70');",
          `ALTER TABLE ONLY "app"."customers" ADD CONSTRAINT "email_has_at" CHECK ((email ~~ '%@%'::text)) NOT VALID;`,
          "SET standard_conforming_strings = on;",
          "SELECT pg_catalog.set_config('search_path', '', false);",
          'SET check_function_bodies = false;',
        ])
          expect(ddl).to.contain(part);
        // Types are created once, before the tables, and a domain after the enum it builds on.
        expect(ddl.match(/CREATE TYPE "app"."mood"/g)).to.have.length(1);
        expect(ddl.indexOf('CREATE TYPE "app"."mood"')).to.be.lessThan(ddl.indexOf('CREATE DOMAIN "app"."calm_mood"'));
        expect(ddl.indexOf('CREATE DOMAIN "app"."calm_mood"')).to.be.lessThan(ddl.indexOf('CREATE TABLE'));
        // Constraint-backing indexes come with their constraint, not again as CREATE INDEX.
        expect(ddl).not.to.contain('CREATE UNIQUE INDEX');
      });

      it('restores the session search_path after reading', async () => {
        const session = await openExtractionSession(source.source);
        try {
          await readTableDdl(session, ['app.customers']);
          const r = await sql<{ p: string }>`SELECT current_setting('search_path') AS p`.execute(session.connection.kysely);
          expect(r.rows[0]?.p).to.equal('"$user", public');
        } finally {
          await session.close();
        }
      });

      it('adds foreign keys to tables outside the export when they exist, else warns and goes on', async () => {
        const ddl = await exportFrom(source, {}, ['orders']);
        expect(ddl).to.contain('WHEN undefined_table THEN RAISE WARNING');
        const alone = await scratch();
        const result = await load(alone, ddl);
        expect(result.stderr).to.contain('hfit: foreign key orders_customer_id_fkey on app.orders not added');
        const withParent = await scratch();
        await load(withParent, await exportFrom(source, {}, ['customers']));
        await load(withParent, ddl);
        const fks = await withParent.query<{ n: string }>("SELECT count(*)::text AS n FROM pg_constraint WHERE conname = 'orders_customer_id_fkey'");
        expect(fks[0]?.n).to.equal('1');
      });

      it('creates shared types only when missing, so exports sharing an enum load side by side', async () => {
        const target = await scratch();
        await load(target, await exportFrom(source, {}, ['customers']));
        await load(target, await exportFrom(source, {}, ['orders']));
        const ts = await target.query<{ n: string }>("SELECT count(*)::text AS n FROM pg_type WHERE typname = 'mood'");
        expect(ts[0]?.n).to.equal('1');
      });

      it('handles tables in the public schema (no CREATE SCHEMA) the same way', async () => {
        await source.exec("CREATE TABLE public.plain (id serial PRIMARY KEY, mood app.mood); INSERT INTO public.plain (mood) VALUES ('sad')");
        const session = await openExtractionSession(source.source);
        let out: string;
        try {
          out = await readTableDdl(session, ['public.plain']);
        } finally {
          await session.close();
        }
        expect(out).not.to.contain('CREATE SCHEMA IF NOT EXISTS "public"');
        expect(out).to.contain('CREATE SCHEMA IF NOT EXISTS "app";'); // for the enum
        expect(out).to.contain('CREATE TABLE "public"."plain"');
        const target = await scratch();
        await load(target, out);
        const again = await openExtractionSession(target.source);
        try {
          expect(await readTableDdl(again, ['public.plain'])).to.equal(out);
        } finally {
          await again.close();
        }
      });

      it('refuses partitioned tables with a typed error', async () => {
        await source.exec('CREATE TABLE app.events (id int, at date) PARTITION BY RANGE (at)');
        const session = await openExtractionSession(source.source);
        try {
          await readTableDdl(session, ['app.events']).then(
            () => expect.fail('should reject'),
            (e: { code: string }) => expect(e.code).to.equal('FORMAT_UNSUPPORTED'),
          );
        } finally {
          await session.close();
        }
      });
    }
  });
}
