import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { RowFormat } from '@hfit/contracts';
import { openExtractionSession, type ExtractionSession } from '../../connection/extraction-session.js';
import { readTableDdl } from '../../ddl/read-table-ddl.js';
import type { TableRef } from '../../introspection/catalog.js';
import { createScratchDatabase, TEST_SERVERS, type ScratchDatabase } from '../../testing/index.js';
import { exportTableRows } from '../export-table-rows.js';
import type { Cell, CellTransform, RowStreamOptions } from '../row-stream-options.js';
import { exportPostgresRows } from './export-postgres-rows.js';

const run = promisify(execFile);

/** A column per type family; `ident` is identity ALWAYS, `gen` a stored generated column. */
const FIDELITY_DDL = String.raw`
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy', 'it''s "complicated"');
CREATE DOMAIN app.posint AS int4 CHECK (VALUE > 0);
CREATE DOMAIN app.email AS text CHECK (VALUE LIKE '%@%');
CREATE TYPE app.pair AS (a int4, b text);
CREATE TABLE app.fidelity (
  id int4 PRIMARY KEY,
  i2 int2, i4 int4, i8 int8, num numeric, num_scaled numeric(12, 4), f4 float4, f8 float8, b bool,
  t text, vc varchar(20), ch char(5), by bytea, js json, jsb jsonb, u uuid, iv interval,
  ip inet, net cidr, mac macaddr, d date, ts timestamp, tstz timestamptz, tm time, tmtz timetz,
  ia int4[], ta text[], ia2 int4[][], mood app.mood, moods app.mood[], pi app.posint, em app.email,
  rng int4range, tsr tstzrange, pr app.pair, cash money, bits varbit, x xml, pt point, tsv tsvector, oidv oid,
  ident int8 GENERATED ALWAYS AS IDENTITY,
  gen int8 GENERATED ALWAYS AS (i4::int8 * 2) STORED,
  "odd ""name"".x" text
);`;

/** Min/max values, NaN/±Infinity/-0, BC and infinite dates, every byte, escaping torture strings. */
const FIDELITY_ROWS = String.raw`
INSERT INTO app.fidelity (id) VALUES (1);
INSERT INTO app.fidelity (id, i2, i4, i8, num, num_scaled, f4, f8, b, t, vc, ch, by, js, jsb, u, iv, ip, net, mac, d, ts, tstz, tm, tmtz,
  ia, ta, ia2, mood, moods, pi, em, rng, tsr, pr, cash, bits, x, pt, tsv, oidv, "odd ""name"".x") VALUES
 (2, 32767, 2147483647, 9223372036854775807, (repeat('9', 1000) || '.' || repeat('1', 1000))::numeric, 12345678.1234, 3.4028235e38, 1.7976931348623157e308, true,
  E'quote '' dq " backslash \\ nl \n cr \r tab \t bs \b ff \f vt \x0b end \\N \\. \\x41', 'x', 'ab',
  (SELECT string_agg(set_byte('\x00'::bytea, 0, g), ''::bytea ORDER BY g) FROM generate_series(0, 255) g),
  '{"b": 1,   "a": [1, 2],
   "b": 2}', '{"b": 1, "a": {"z": [true, null, 1.50]}}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  '1 year 2 mons 3 days 04:05:06.789012', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', '4713-01-01 BC', '294276-12-31 23:59:59.999999',
  'infinity', '24:00:00', '23:59:59.999999+14',
  '{1,NULL,3}', '{"a b","c\"d","e\\f",NULL,"NULL",""}', '{{1,2},{NULL,4}}', 'it''s "complicated"', '{sad,"it''s \"complicated\""}', 42, 'a@b', '[1,5)',
  '[2024-01-01 00:00:00+00,infinity)', '(1,"x y")', '1234.56', B'1011', '<a x="1">t &amp; u</a>', '(1.5,-2.25)', 'a:1 fat:2 cat', 4294967295, 'odd'),
 (3, -32768, -2147483648, -9223372036854775808, 'NaN', -99999999.9999, 'NaN', '-Infinity', false,
  '', '', '', '\x00', '[]', '[]', '00000000-0000-0000-0000-000000000000',
  '-1 years -2 mons +3 days -04:05:06.000001', '::1', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', '0001-01-01 BC', '0001-01-01 00:00:00 BC',
  '-infinity', '00:00:00', '00:00:00-12',
  '{}', '{}', '{{NULL,NULL}}', 'sad', '{}', 1, '@', 'empty', 'empty', '(,)', '-0.01', B'', '', '(0,0)', '', 0, ''),
 (4, 0, 0, 0, 'Infinity', 0, 'Infinity', '-0', true,
  E'\\N', E'\\.', ' ', '\x5c2727', '"string"', '"\u00e9\ud83d\ude00"', 'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '00:00:00.000001', '0.0.0.0/0', '0.0.0.0/0', '00:00:00:00:00:00', 'infinity', '2000-02-29 12:34:56.5',
  '1970-01-01 00:00:00.000001+00', '12:00:00.5', '12:00:00+05:30',
  '{-2147483648,2147483647}', E'{"\\\\",",","{}"," ","\t"}', '{{{1}}}', 'happy', NULL, 2147483647, 'x@y', '(,)', '(,2024-01-01 00:00:00+00]',
  '(,"")', '0', NULL, '<!-- c -->', '(1e-300,-0)', '''a b'':1A', 1, NULL),
 (5, 1, 1, 1, '-0.00000000000000000000000000000000000000000000000001', 1.5, 1.17549435e-38, 1e-308, NULL,
  E'unicode: \u00e9 \u4e2d \U0001F600 \U00010348 z\u0301 end', 'ümlaut', 'ä', '\xdeadbeef', '{"k":"v\"\\\u0000x"}', '{"k": "\u0001"}', NULL,
  '-00:00:00.000001', '10.1.2.3', '10.1.2.3/32', '01:02:03:04:05:06', '2024-02-29', '1999-12-31 23:59:59',
  '2024-06-01 12:00:00.123456+00', '23:59:59.999999', '00:00:00.000001+00:00:01',
  '{0}', E'{"line\nbreak","tab\there","cr\rhere"}', '{{1,2,3},{4,5,6}}', NULL, '{happy,NULL}', NULL, NULL, '[-2147483648,2147483647)',
  '["2020-01-01 00:00:00+00","2021-01-01 00:00:00+00")', E'(-1,"multi\nline")', NULL, B'0000000000', NULL, NULL, '', NULL, E'emoji 🎉 \' " \\'),
 (6, NULL, NULL, 5, '0.1', NULL, '-0', 5e-324, false, E'\n', E'\r\n', NULL, '\x', '{ }', '{}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  '{NULL}', '{NULL}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, '(,)', NULL, NULL, NULL, NULL, NULL, NULL, E'\t'),
 (7, 7, 7, 7, '7', 7, 7, 7, true, E'\u00a0\u2028\u2029\ufeff', 'x', 'x', '\xff', 'null', 'null', NULL, '7 days', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  NULL, '{"\\"}', NULL, 'ok', NULL, 7, 'a@b', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, E'\\');`;

/** Tables of the source only: exact-text checks and the empty table. */
const SMALL_TABLES = String.raw`
CREATE TABLE app.small (id int PRIMARY KEY, t text, n numeric, ok bool, raw bytea, at timestamptz, tags text[]);
INSERT INTO app.small VALUES
  (1, NULL, NULL, NULL, NULL, NULL, NULL),
  (2, '', 1.50, true, '\x00ff', '2024-01-02 03:04:05.5+00', '{a,"b c",NULL}'),
  (3, E'say "hi",\nbye', -0.5, false, '\x', 'infinity', '{}');
CREATE TABLE app.empty (id int PRIMARY KEY, t text);
CREATE TABLE app."No ""cols"".x" (gen int GENERATED ALWAYS AS (1) STORED);
INSERT INTO app."No ""cols"".x" DEFAULT VALUES;
INSERT INTO app."No ""cols"".x" DEFAULT VALUES;`;

/** Each row as PostgreSQL prints the whole record (generated and identity columns included). */
async function fidelityRows(db: ScratchDatabase): Promise<string[]> {
  const rows = await db.query<{ r: string }>('SELECT f::text AS r FROM app.fidelity f ORDER BY id');
  return rows.map((x) => x.r);
}

/** Loads a file with the stock client, stopping at the first error, as users will. */
async function loadWithPsql(database: string, file: string): Promise<void> {
  const { host, port, user } = TEST_SERVERS.postgres;
  await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', host, '-p', String(port), '-U', user, '-d', database, '-f', file]);
}

/** Collects everything written, as a string. */
function collector(): { out: Writable; text: () => string } {
  const parts: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      parts.push(chunk);
      cb();
    },
  });
  return { out, text: () => Buffer.concat(parts).toString('utf8') };
}

const idAtLeast = (n: number): Expression<SqlBool> => sql<SqlBool>`${sql.ref('id')} >= ${n}`;

describe('exportPostgresRows', () => {
  let source: ScratchDatabase;
  let session: ExtractionSession;
  let dir: string;
  const extra: ScratchDatabase[] = [];

  beforeEach(async () => {
    source = await createScratchDatabase('postgres');
    await source.exec(FIDELITY_DDL);
    await source.exec(FIDELITY_ROWS);
    await source.exec(SMALL_TABLES);
    session = await openExtractionSession(source.source);
    dir = mkdtempSync(join(tmpdir(), 'hfit-pg-rows-'));
  });

  afterEach(async () => {
    await session.close();
    await source.drop();
    for (const db of extra.splice(0)) await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function exportTo(file: string, opts: Partial<RowStreamOptions> & { format: RowFormat }, table: string | TableRef = 'app.fidelity'): Promise<number> {
    const out = createWriteStream(file);
    const info = await session.catalog.table(table);
    const { rows } = await exportPostgresRows(session, { table: info, batchSize: 1000, ...opts }, out);
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return rows;
  }

  async function exportText(opts: Partial<RowStreamOptions> & { format: RowFormat }, table: string | TableRef = 'app.fidelity'): Promise<string> {
    const { out, text } = collector();
    const info = await session.catalog.table(table);
    await exportPostgresRows(session, { table: info, batchSize: 1000, ...opts }, out);
    return text();
  }

  /**
   * A fresh database holding the fidelity table as hfit's own DDL export creates it (loaded with
   * psql too), so the whole DDL + rows path round-trips, not just the rows.
   */
  async function freshTarget(): Promise<ScratchDatabase> {
    const target = await createScratchDatabase('postgres');
    extra.push(target);
    // Composite types are not part of hfit's DDL export yet (enums and domains are): create it by hand.
    await target.exec('CREATE SCHEMA app; CREATE TYPE app.pair AS (a int4, b text);');
    const ddlFile = join(dir, 'fidelity.ddl.sql');
    writeFileSync(ddlFile, await readTableDdl(session, ['app.fidelity']));
    await loadWithPsql(target.name, ddlFile);
    return target;
  }

  for (const format of ['sql', 'copy'] as const) {
    for (const path of ['COPY', 'cursor'] as const) {
      it(`${format} via ${path}: psql loads it into a fresh database and every row is identical`, async () => {
        const file = join(dir, `fidelity.${format}`);
        // batchSize 2: several multi-row statements, so literal typing across VALUES rows is exercised.
        const rows = await exportTo(file, { format, batchSize: 2, where: path === 'cursor' ? idAtLeast(0) : undefined });
        expect(rows).to.equal(7);
        const target = await freshTarget();
        await loadWithPsql(target.name, file);
        expect(await fidelityRows(target)).to.deep.equal(await fidelityRows(source));
      });
    }
  }

  it('writes what pg_dump writes: header settings, quoted names, no generated column, OVERRIDING for identity ALWAYS', async () => {
    const text = await exportText({ format: 'sql', batchSize: 4 });
    expect(text).to.contain("SET standard_conforming_strings = on;\nSET DateStyle = 'ISO, YMD';");
    expect(text).to.contain('INSERT INTO "app"."fidelity" ("id", "i2", "i4", ');
    expect(text).to.contain('"ident", "odd ""name"".x") OVERRIDING SYSTEM VALUE VALUES\n(1, NULL, ');
    expect(text).not.to.contain('"gen"');
    expect(text.match(/^INSERT INTO/gm)).to.have.length(2);
    // Numbers bare, NaN/Infinity/-0 quoted, booleans as words, bytea as \x literal.
    expect(text).to.contain("(3, -32768, -2147483648, -9223372036854775808, 'NaN', -99999999.9999, 'NaN', '-Infinity', false, '', '', '     ', '\\x00', ");
    expect(text).to.contain("(4, 0, 0, 0, 'Infinity', 0.0000, 'Infinity', '-0', true, '\\N', '\\.', ");
    const copy = await exportText({ format: 'copy' });
    expect(copy).to.match(/\nCOPY "app"\."fidelity" \("id", .*, "ident", "odd ""name""\.x"\) FROM stdin;\n1\t\\N\t/);
    expect(copy.endsWith('\n\\.\n')).to.equal(true);
  });

  it('renders the same bytes from COPY and from the cursor, in every format', async () => {
    for (const format of ['sql', 'copy', 'csv', 'ndjson'] as const) {
      const viaCopy = await exportText({ format, batchSize: 3 });
      const viaCursor = await exportText({ format, batchSize: 3, where: idAtLeast(-1) });
      expect(viaCursor, format).to.equal(viaCopy);
    }
  });

  it('csv and ndjson follow the shared conventions exactly', async () => {
    expect(await exportText({ format: 'csv' }, 'app.small')).to.equal(
      'id,t,n,ok,raw,at,tags\r\n' +
        '1,,,,,,\r\n' +
        '2,"",1.50,t,\\x00ff,2024-01-02 03:04:05.5+00,"{a,""b c"",NULL}"\r\n' +
        '3,"say ""hi"",\nbye",-0.5,f,\\x,infinity,{}\r\n',
    );
    expect(await exportText({ format: 'ndjson' }, 'app.small')).to.equal(
      '{"id":"1","t":null,"n":null,"ok":null,"raw":null,"at":null,"tags":null}\n' +
        '{"id":"2","t":"","n":"1.50","ok":"t","raw":{"$binary":"AP8="},"at":"2024-01-02 03:04:05.5+00","tags":"{a,\\"b c\\",NULL}"}\n' +
        '{"id":"3","t":"say \\"hi\\",\\nbye","n":"-0.5","ok":"f","raw":{"$binary":""},"at":"infinity","tags":"{}"}\n',
    );
  });

  it('a filter goes through the cursor with bound values and returns only matching rows', async () => {
    const where = sql<SqlBool>`${sql.ref('id')} > ${3} AND ${sql.ref('t')} IS DISTINCT FROM ${"it's ' OR true --"}`;
    const text = await exportText({ format: 'ndjson', where });
    expect(text.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).to.deep.equal(['4', '5', '6', '7']);
    const none = await exportText({ format: 'sql', where: sql<SqlBool>`${sql.ref('t')} = ${"' OR ''='"}` });
    expect(none).not.to.contain('INSERT');
  });

  it('a row limit keeps the first rows in key order, bound as a parameter, with or without a filter', async () => {
    const ids = (text: string) => text.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids(await exportText({ format: 'ndjson', limit: 2 }, 'app.small'))).to.deep.equal(['1', '2']);
    expect(ids(await exportText({ format: 'ndjson', limit: 2, where: idAtLeast(2) }, 'app.small'))).to.deep.equal(['2', '3']);
    expect(await exportText({ format: 'csv', limit: 0 }, 'app.small')).to.equal('id,t,n,ok,raw,at,tags\r\n');
    // Through the cursor, so the limit is a bound value and never part of the statement text.
    const sent: { text: string; values: unknown[] }[] = [];
    const client = session.connection.raw.type === 'postgres' ? session.connection.raw.client : undefined;
    const query = client!.query.bind(client);
    (client as unknown as { query: (...a: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const c = args[0] as { text?: string; values?: unknown[] };
      if (typeof c === 'object' && typeof c.text === 'string') sent.push({ text: c.text, values: c.values ?? [] });
      return (query as (...a: unknown[]) => unknown)(...args);
    };
    const { out, text } = collector();
    const { rows } = await exportTableRows(session, { table: await session.catalog.table('app.small'), format: 'ndjson', batchSize: 1, limit: 1 }, out);
    expect(rows).to.equal(1);
    expect(ids(text())).to.deep.equal(['1']);
    const select = sent.find((q) => q.text.startsWith('SELECT "id"'));
    expect(select?.text).to.match(/ LIMIT \$1$/);
    expect(select?.values?.map(String)).to.deep.equal(['1']);
  });

  it('rejects a limit that is not a whole number of rows before running anything', async () => {
    const table = await session.catalog.table('app.small');
    for (const limit of [-1, 1.5, Number.NaN]) {
      const err = await exportTableRows(session, { table, format: 'ndjson', batchSize: 1, limit }, collector().out).then(
        () => expect.fail('should reject'),
        (e: unknown) => e as { code: string; field: string },
      );
      expect(err.code, String(limit)).to.equal('EXTRACTION_FAILED');
      expect(err.field).to.equal('limit');
    }
  });

  it('hands bytea to transforms as a Buffer and renders what they return', async () => {
    const seen: Cell[] = [];
    const transforms = new Map<string, CellTransform>([
      ['by', (v) => (seen.push(v), v === null ? null : Buffer.from([0xca, 0xfe]))],
      ['t', (v) => (v === null ? null : `masked '${String(v).length}'`)],
      ['i4', () => '99'],
    ]);
    const file = join(dir, 'masked.sql');
    await exportTo(file, { format: 'sql', transforms, batchSize: 3 });
    expect(seen.filter((v) => v !== null).every((v) => Buffer.isBuffer(v))).to.equal(true);
    expect((seen[1] as Buffer).length).to.equal(256);
    const target = await freshTarget();
    await loadWithPsql(target.name, file);
    const rows = await target.query<{ id: number; by: string | null; t: string | null; i4: number; gen: string }>(
      "SELECT id, encode(by, 'hex') AS by, t, i4, gen FROM app.fidelity ORDER BY id",
    );
    expect(rows[1]).to.deep.include({ by: 'cafe', i4: 99, gen: '198' });
    expect(rows[1]?.t).to.match(/^masked '\d+'$/);
    expect(rows[0]).to.deep.include({ by: null, t: null });
    // The same masked rows through COPY format and the cursor path.
    const copyFile = join(dir, 'masked.copy');
    await exportTo(copyFile, { format: 'copy', transforms, where: idAtLeast(0) });
    const again = await freshTarget();
    await loadWithPsql(again.name, copyFile);
    expect(await fidelityRows(again)).to.deep.equal(await fidelityRows(target));
  });

  it('rejects unknown transform columns and unsupported formats with typed errors', async () => {
    const info = await session.catalog.table('app.fidelity');
    const { out } = collector();
    await exportPostgresRows(session, { table: info, format: 'sql', batchSize: 10, transforms: new Map([['nope', (v: Cell) => v]]) }, out).then(
      () => expect.fail('should reject'),
      (e: { code: string; message: string }) => {
        expect(e.code).to.equal('COLUMN_UNKNOWN');
        expect(e.message).to.contain('"nope"');
      },
    );
    await exportPostgresRows(session, { table: info, format: 'xml' as RowFormat, batchSize: 10 }, out).then(
      () => expect.fail('should reject'),
      (e: { code: string }) => expect(e.code).to.equal('FORMAT_UNSUPPORTED'),
    );
  });

  it('exports an empty table as a loadable file in every format', async () => {
    expect(await exportText({ format: 'csv' }, 'app.empty')).to.equal('id,t\r\n');
    expect(await exportText({ format: 'ndjson' }, 'app.empty')).to.equal('');
    for (const format of ['sql', 'copy'] as const) {
      const file = join(dir, `empty.${format}`);
      expect(await exportTo(file, { format }, 'app.empty')).to.equal(0);
      const target = await createScratchDatabase('postgres');
      extra.push(target);
      await target.exec('CREATE SCHEMA app; CREATE TABLE app.empty (id int PRIMARY KEY, t text)');
      await loadWithPsql(target.name, file);
    }
  });

  it('exports a table without writable columns (only generated ones) as loadable rows', async () => {
    const ref = { database: 'app', table: 'No "cols".x' };
    expect(await exportText({ format: 'ndjson' }, ref)).to.equal('{}\n{}\n');
    for (const [format, where] of [['sql', undefined], ['copy', undefined], ['sql', sql<SqlBool>`true`]] as const) {
      const file = join(dir, `nocols.${format}`);
      expect(await exportTo(file, { format, where }, ref)).to.equal(2);
      const target = await createScratchDatabase('postgres');
      extra.push(target);
      await target.exec('CREATE SCHEMA app; CREATE TABLE app."No ""cols"".x" (gen int GENERATED ALWAYS AS (1) STORED)');
      await loadWithPsql(target.name, file);
      expect(await target.query('SELECT gen FROM app."No ""cols"".x"')).to.deep.equal([{ gen: 1 }, { gen: 1 }]);
    }
  });

  it('a failing destination fails the export with its error and leaves the session closable', async () => {
    await source.exec("CREATE TABLE app.many AS SELECT g AS id, repeat('y', 100) AS pad FROM generate_series(1, 100000) g; ALTER TABLE app.many ADD PRIMARY KEY (id)");
    for (const [format, where] of [['sql', undefined], ['copy', undefined], ['ndjson', undefined], ['csv', idAtLeast(0)]] as const) {
      const s = await openExtractionSession(source.source);
      try {
        const info = await s.catalog.table('app.many');
        let written = 0;
        const out = new Writable({
          write(chunk: Buffer, _enc, cb) {
            written += chunk.length;
            cb(written > 300_000 ? new Error('disk full') : null);
          },
        });
        out.on('error', () => undefined);
        await exportPostgresRows(s, { table: info, format, batchSize: 100, where }, out).then(
          () => expect.fail('should reject'),
          (e: Error) => expect(e.message, format).to.equal('disk full'),
        );
      } finally {
        await s.close();
      }
    }
  });

  it('aborting mid-COPY rejects with the reason and leaves the session closable; so does aborting the cursor', async () => {
    await source.exec("CREATE TABLE app.big AS SELECT g AS id, repeat('x', 200) AS pad FROM generate_series(1, 200000) g; ALTER TABLE app.big ADD PRIMARY KEY (id)");
    for (const where of [undefined, idAtLeast(0)]) {
      const s = await openExtractionSession(source.source);
      try {
        const info = await s.catalog.table('app.big');
        const controller = new AbortController();
        let written = 0;
        const out = new Writable({
          highWaterMark: 1024,
          write(chunk: Buffer, _enc, cb) {
            written += chunk.length;
            if (written > 100_000) controller.abort(new Error('stop here'));
            setTimeout(cb, 5);
          },
        });
        const started = Date.now();
        await exportPostgresRows(s, { table: info, format: 'csv', batchSize: 100, where, signal: controller.signal }, out).then(
          () => expect.fail('should reject'),
          (e: Error) => expect(e.message).to.equal('stop here'),
        );
        expect(Date.now() - started).to.be.below(10_000);
      } finally {
        await s.close();
      }
    }
  });
});
