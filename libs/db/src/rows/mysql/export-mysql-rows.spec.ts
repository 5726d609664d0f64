import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, createWriteStream, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { liveMemoryBytes } from '@hfit/contracts/testing';
import { expect } from 'chai';
import { sql } from 'kysely';
import { openExtractionSession, type ExtractionSession } from '../../connection/extraction-session.js';
import { createScratchDatabase, TEST_SERVERS, type ScratchDatabase } from '../../testing/index.js';
import { readTableDdl } from '../../ddl/read-table-ddl.js';
import { exportTableRows } from '../export-table-rows.js';
import type { CellTransform, RowStreamOptions } from '../row-stream-options.js';

/** One column per MySQL/MariaDB type family; `c_gen` is generated and must be left out of dumps. */
const ALL_TYPES_DDL = `(
  id INT PRIMARY KEY,
  c_tinyint TINYINT, c_utinyint TINYINT UNSIGNED, c_smallint SMALLINT, c_usmallint SMALLINT UNSIGNED,
  c_mediumint MEDIUMINT, c_umediumint MEDIUMINT UNSIGNED, c_int INT, c_uint INT UNSIGNED,
  c_bigint BIGINT, c_ubigint BIGINT UNSIGNED,
  c_decimal DECIMAL(65,30), c_float FLOAT, c_double DOUBLE,
  c_bit1 BIT(1), c_bit64 BIT(64),
  c_char CHAR(10), c_varchar VARCHAR(255), c_text TEXT, c_mediumtext MEDIUMTEXT,
  c_binary BINARY(4), c_varbinary VARBINARY(300), c_blob BLOB,
  c_date DATE, c_datetime DATETIME(6), c_timestamp TIMESTAMP(6) NULL DEFAULT NULL, c_time TIME(6), c_year YEAR,
  c_enum ENUM('a','b','it''s'), c_set SET('x','y','z'),
  c_json JSON,
  c_geometry GEOMETRY, c_point POINT, c_polygon POLYGON,
  c_gen BIGINT AS (c_int + 1) VIRTUAL
)`;

const ALL_TYPES_COLUMNS = [
  'c_tinyint', 'c_utinyint', 'c_smallint', 'c_usmallint', 'c_mediumint', 'c_umediumint', 'c_int', 'c_uint', 'c_bigint', 'c_ubigint',
  'c_decimal', 'c_float', 'c_double', 'c_bit1', 'c_bit64', 'c_char', 'c_varchar', 'c_text', 'c_mediumtext', 'c_binary', 'c_varbinary', 'c_blob',
  'c_date', 'c_datetime', 'c_timestamp', 'c_time', 'c_year', 'c_enum', 'c_set', 'c_json', 'c_geometry', 'c_point', 'c_polygon',
];
/** Compared by their text form (HEX() of a number would hex its integer value). */
const NUMERIC_COLUMNS = new Set(['c_tinyint', 'c_utinyint', 'c_smallint', 'c_usmallint', 'c_mediumint', 'c_umediumint', 'c_int', 'c_uint', 'c_bigint', 'c_ubigint', 'c_decimal', 'c_float', 'c_double', 'c_year', 'c_gen']);

/** Every control character, quotes, backslashes and non-BMP text: the escaping torture string. */
const NASTY = `quote ' dq " bs \\ nl \n cr \r tab \t nul \0 ctrlZ \x1a bksp \b ${String.fromCharCode(...Array.from({ length: 31 }, (_, i) => i + 1))} emoji 😀🎉 clef 𝄞 中文 ü \\' \\\\n end`;
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

async function fillAllTypes(s: ScratchDatabase): Promise<void> {
  // Zero dates need a mode without NO_ZERO_DATE/strictness, as on legacy production servers.
  await s.exec("SET SESSION sql_mode = ''");
  await s.exec(`CREATE TABLE all_types ${ALL_TYPES_DDL}`);
  const cols = ['id', ...ALL_TYPES_COLUMNS.filter((c) => !c.startsWith('c_geometry') && c !== 'c_point' && c !== 'c_polygon')];
  const insert = async (values: unknown[], geo = "ST_GeomFromText('POINT(0 0)'), ST_GeomFromText('POINT(-1.5 2.25)'), ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0),(1 1,2 1,2 2,1 1))')") =>
    s.query(`INSERT INTO all_types (${cols.join(', ')}, c_geometry, c_point, c_polygon) VALUES (${values.map(() => '?').join(', ')}, ${geo})`, values);
  // Minimum values.
  await s.exec(`INSERT INTO all_types VALUES (1, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0,
    -99999999999999999999999999999999999.999999999999999999999999999999, -3.40282e38, -1.7976931348623157e308, b'0', 0,
    '', '', '', '', 0x00000000, '', '', '1000-01-01', '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000000', '-838:59:59.000000', 1901,
    'a', '', '[]', ST_GeomFromText('POINT(0 0)'), ST_GeomFromText('POINT(0 0)'), ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))'), DEFAULT)`);
  // Maximum values.
  await s.exec(`INSERT INTO all_types VALUES (2, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615,
    99999999999999999999999999999999999.999999999999999999999999999999, 3.40282e38, 1.7976931348623157e308, b'1', 0xFFFFFFFFFFFFFFFF,
    'zzzzzzzzzz', REPEAT('y', 255), REPEAT('t', 65535), REPEAT('m', 70000), 0xFFFFFFFF, REPEAT(0xFF, 300), REPEAT(0xFE, 65535),
    '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '838:59:59.000000', 2155,
    'it''s', 'x,y,z', '{"a": [1, 2.5, "é 😀"], "b": null, "c": "it''s"}', ST_GeomFromText('LINESTRING(0 0,1 1,2 5)'), ST_GeomFromText('POINT(1e300 -1e-300)'),
    ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0),(1 1,2 1,2 2,1 1))'), DEFAULT)`);
  // NULL in every column.
  await s.exec(`INSERT INTO all_types (id) VALUES (3)`);
  // Escaping, bytes, zero dates, float edge values (bound values: the test itself must not garble them).
  await insert([4, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, '0.000000000000000000000000000001', '1.17549e-38', '5e-324', Buffer.from([0]), Buffer.from('0000000000000001', 'hex'),
    `a'b"c\\`, NASTY, NASTY.repeat(50), `${NASTY}\n`.repeat(2000), Buffer.from([0x00, 0x27, 0x0a, 0x5c]), ALL_BYTES, Buffer.concat([ALL_BYTES, randomBytes(5000), Buffer.from([0, 0, 0])]),
    '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '00:00:00', '0000', 'b', 'y', JSON.stringify({ nasty: NASTY, n: 1e300 })]);
  await insert([5, -1, 200, -2, 2, -3, 3, -4, 4, -5, '18446744073709551614', '-0.5', '0.1', '0.1', Buffer.from([1]), Buffer.from('8000000000000000', 'hex'),
    ' lead', 'trail ', '\\', '\\\\', Buffer.from([0x1a, 0x22, 0x5c, 0x00]), Buffer.alloc(0), Buffer.from('0x', 'latin1'),
    '2024-02-29', '2024-02-29 23:59:59.000001', '2024-02-29 12:00:00.123456', '-00:00:00.000001', '2024', 'a', 'x,z', '"just a string"']);
  await insert([6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, '-1.5', '-0', '-0', Buffer.from([0]), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]),
    'NULL', 'null', 'NULL', '\\N', Buffer.from([0x4e, 0x55, 0x4c, 0x4c]), Buffer.from('NULL'), Buffer.from([0x00]),
    '2000-01-01', '2000-01-01 00:00:00', '2000-01-01 00:00:00', '100:00:00.5', '1999', 'a', '', '{"k": 18446744073709551615}']);
}

/** Every column (plus the generated one) of every row, in a comparable text form, by id. */
async function snapshotAllTypes(s: ScratchDatabase): Promise<unknown[]> {
  const exprs = [...ALL_TYPES_COLUMNS, 'c_gen'].map((c) => (NUMERIC_COLUMNS.has(c) ? `CONCAT(${c}) AS ${c}` : `HEX(${c}) AS ${c}`));
  return s.query(`SELECT id, ${exprs.join(', ')} FROM all_types ORDER BY id`);
}

/** Loads a dump file with the stock `mariadb` client, as a user would. */
function loadWithClient(database: string, file: string): Promise<void> {
  const fd = openSync(file, 'r');
  return new Promise<void>((resolve, reject) => {
    const server = TEST_SERVERS.mysql;
    const child = spawn('mariadb', [`-h${server.host}`, `-P${server.port}`, `-u${server.user}`, database], { stdio: [fd, 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mariadb exited with ${code}: ${stderr}`))));
  }).finally(() => closeSync(fd));
}

/** Collects everything written to it as one Buffer. */
class Collector extends Writable {
  private readonly parts: Buffer[] = [];
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    cb();
  }
  text(): string {
    return Buffer.concat(this.parts).toString('utf8');
  }
}

async function exportToText(session: ExtractionSession, opts: RowStreamOptions): Promise<{ text: string; rows: number }> {
  const out = new Collector();
  const { rows } = await exportTableRows(session, opts, out);
  return { text: out.text(), rows };
}

describe('exportTableRows (mysql)', function () {
  this.timeout(60_000);
  const cleanups: (() => Promise<void> | void)[] = [];
  let scratch: ScratchDatabase;
  let session: ExtractionSession;
  const open = async () => {
    session = await openExtractionSession(scratch.source);
    cleanups.push(() => session.close());
    return session;
  };

  beforeEach(async () => {
    scratch = await createScratchDatabase('mysql');
    cleanups.push(() => scratch.drop());
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  describe('sql format fidelity', () => {
    it('round-trips every type and edge value bit-identically through the stock mariadb client', async () => {
      await fillAllTypes(scratch);
      await open();
      const table = await session.catalog.table(`${scratch.name}.all_types`);
      const file = join(tmpdir(), `hfit-rows-${randomUUID()}.sql`);
      cleanups.push(() => rmSync(file, { force: true }));
      const out = createWriteStream(file);
      const { rows } = await exportTableRows(session, { table, format: 'sql', batchSize: 2 }, out);
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      expect(rows).to.equal(6);

      const dump = readFileSync(file, 'utf8');
      expect(dump).to.contain('INSERT INTO `all_types` (`id`, `c_tinyint`');
      expect(dump).not.to.contain('c_gen');
      expect(dump).not.to.contain(scratch.name);
      expect(dump.match(/^INSERT INTO/gm)).to.have.length(3);

      // The target table comes from hfit's own DDL export, loaded with the stock client too: the
      // whole DDL + rows path round-trips, not just the rows.
      const ddlFile = join(tmpdir(), `hfit-ddl-${randomUUID()}.sql`);
      cleanups.push(() => rmSync(ddlFile, { force: true }));
      writeFileSync(ddlFile, await readTableDdl(session, [`${scratch.name}.all_types`]));
      const target = await createScratchDatabase('mysql');
      cleanups.push(() => target.drop());
      await loadWithClient(target.name, ddlFile);
      await loadWithClient(target.name, file);

      const [want, got] = [await snapshotAllTypes(scratch), await snapshotAllTypes(target)];
      expect(got).to.have.length(6);
      for (let i = 0; i < want.length; i++) expect(got[i], `row ${i + 1}`).to.deep.equal(want[i]);
      // Spot checks that the comparison compares what we think it does.
      const row2 = want[1] as Record<string, string>;
      expect(row2['c_ubigint']).to.equal('18446744073709551615');
      expect(row2['c_decimal']).to.equal('99999999999999999999999999999999999.999999999999999999999999999999');
      expect(row2['c_bit64']).to.equal('FFFFFFFFFFFFFFFF');
      const row4 = want[3] as Record<string, string>;
      expect(Buffer.from(row4['c_varchar']!, 'hex').toString('utf8')).to.equal(NASTY);
      expect(row4['c_varbinary']).to.equal(ALL_BYTES.toString('hex').toUpperCase());
      expect(Buffer.from(row4['c_datetime']!, 'hex').toString()).to.equal('0000-00-00 00:00:00.000000');
      expect(Buffer.from((want[0] as Record<string, string>)['c_time']!, 'hex').toString()).to.equal('-838:59:59.000000');
    });

    it('writes exact literals, a restoring session header and batchSize rows per INSERT', async () => {
      await scratch.exec(`CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20), amount DECIMAL(10,2), raw VARBINARY(4), created DATETIME, big BIGINT UNSIGNED)`);
      await scratch.exec(`INSERT INTO t VALUES (1, 'it''s', 1.50, 0x00ff, '2024-01-02 03:04:05', 18446744073709551615), (2, '', -2.00, X'', NULL, 0)`);
      await scratch.exec(`INSERT INTO t SELECT seq, CONCAT('n', seq), seq, NULL, NULL, seq FROM seq_3_to_10`);
      await open();
      const table = await session.catalog.table(`${scratch.name}.t`);
      const { text, rows } = await exportToText(session, { table, format: 'sql', batchSize: 3 });
      expect(rows).to.equal(10);
      expect(text.match(/^INSERT INTO `t` \(`id`, `name`, `amount`, `raw`, `created`, `big`\) VALUES$/gm)).to.have.length(4);
      expect(text).to.contain(
        "INSERT INTO `t` (`id`, `name`, `amount`, `raw`, `created`, `big`) VALUES\n(1,'it\\'s',1.50,0x00ff,'2024-01-02 03:04:05',18446744073709551615),\n(2,'',-2.00,'',NULL,0),\n(3,'n3',3.00,NULL,NULL,3);\n",
      );
      expect(text).to.contain("(10,'n10',10.00,NULL,NULL,10);\n");
      expect(text.startsWith('/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n')).to.equal(true);
      for (const setting of ['SET NAMES utf8mb4', "SET TIME_ZONE='+00:00'", 'FOREIGN_KEY_CHECKS=0', 'UNIQUE_CHECKS=0', "SQL_MODE='NO_AUTO_VALUE_ON_ZERO'"])
        expect(text).to.contain(setting);
      for (const restore of ['SQL_MODE=@OLD_SQL_MODE', 'TIME_ZONE=@OLD_TIME_ZONE', 'FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS', 'UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS', 'CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT'])
        expect(text).to.contain(restore);
    });

    it('quotes odd identifiers (reserved words, dots, spaces, backticks) in the query and the dump', async () => {
      const ddl = '(`key` INT PRIMARY KEY, `a.b` VARCHAR(5), `x``y` INT)';
      await scratch.exec(`CREATE TABLE \`odd.t n\` ${ddl}`);
      await scratch.exec("INSERT INTO `odd.t n` VALUES (2, 'b', 20), (1, 'a', 10)");
      await open();
      const table = await session.catalog.table(`\`${scratch.name}\`.\`odd.t n\``);
      const where = sql<boolean>`${sql.id('key')} >= ${1}`;
      const { text } = await exportToText(session, { table, format: 'sql', batchSize: 10, where });
      expect(text).to.contain("INSERT INTO `odd.t n` (`key`, `a.b`, `x``y`) VALUES\n(1,'a',10),\n(2,'b',20);\n");
      const target = await createScratchDatabase('mysql');
      cleanups.push(() => target.drop());
      await target.exec(`CREATE TABLE \`odd.t n\` ${ddl}`);
      const file = join(tmpdir(), `hfit-rows-${randomUUID()}.sql`);
      cleanups.push(() => rmSync(file, { force: true }));
      writeFileSync(file, text);
      await loadWithClient(target.name, file);
      expect(await target.query('SELECT * FROM `odd.t n` ORDER BY `key`')).to.deep.equal([
        { key: 1, 'a.b': 'a', 'x`y': 10 },
        { key: 2, 'a.b': 'b', 'x`y': 20 },
      ]);
    });

    it('writes only the session header and footer for an empty result', async () => {
      await scratch.exec('CREATE TABLE t (id INT PRIMARY KEY)');
      await open();
      const { text, rows } = await exportToText(session, { table: await session.catalog.table(`${scratch.name}.t`), format: 'sql', batchSize: 10 });
      expect(rows).to.equal(0);
      expect(text).not.to.contain('INSERT');
      expect(text).to.contain('SET SQL_MODE=@OLD_SQL_MODE');
    });
  });

  describe('csv and ndjson formats', () => {
    beforeEach(async () => {
      await scratch.exec(`CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(40), note TEXT NULL, bin VARBINARY(4) NULL, amount DECIMAL(10,2),
        created DATETIME(3), doc JSON, total INT AS (id * 10) STORED)`);
      await scratch.query(`INSERT INTO t (id, name, note, bin, amount, created, doc) VALUES
        (2, 'with,comma', '', NULL, -0.50, '2024-01-02 03:04:05.678', '[1, "a"]'),
        (1, 'plain', NULL, 0x00ff, 1.50, '0000-00-00 00:00:00', NULL),
        (3, ?, ?, X'', 3.00, NULL, '{"k": 1.0}')`, ['quote "q" é😀', 'line\nbreak\r\ttab']);
    });

    it('csv: header, RFC 4180 quoting, NULL empty vs "" empty string, \\x hex bytes, CRLF', async () => {
      await open();
      const { text, rows } = await exportToText(session, { table: await session.catalog.table(`${scratch.name}.t`), format: 'csv', batchSize: 1 });
      expect(rows).to.equal(3);
      expect(text).to.equal(
        'id,name,note,bin,amount,created,doc\r\n' +
          '1,plain,,\\x00ff,1.50,0000-00-00 00:00:00.000,\r\n' +
          '2,"with,comma","",,-0.50,2024-01-02 03:04:05.678,"[1, ""a""]"\r\n' +
          '3,"quote ""q"" é😀","line\nbreak\r\ttab",\\x,3.00,,"{""k"": 1.0}"\r\n',
      );
    });

    it('ndjson: one object per row, server text as strings, null, {"$binary": base64}', async () => {
      await open();
      const { text } = await exportToText(session, { table: await session.catalog.table(`${scratch.name}.t`), format: 'ndjson', batchSize: 1 });
      const lines = text.split('\n');
      expect(lines.pop()).to.equal('');
      expect(lines[0]).to.equal('{"id":"1","name":"plain","note":null,"bin":{"$binary":"AP8="},"amount":"1.50","created":"0000-00-00 00:00:00.000","doc":null}');
      expect(lines.map((l) => JSON.parse(l) as unknown)).to.deep.equal([
        { id: '1', name: 'plain', note: null, bin: { $binary: 'AP8=' }, amount: '1.50', created: '0000-00-00 00:00:00.000', doc: null },
        { id: '2', name: 'with,comma', note: '', bin: null, amount: '-0.50', created: '2024-01-02 03:04:05.678', doc: '[1, "a"]' },
        { id: '3', name: 'quote "q" é😀', note: 'line\nbreak\r\ttab', bin: { $binary: '' }, amount: '3.00', created: null, doc: '{"k": 1.0}' },
      ]);
    });

    it('copy is rejected with FORMAT_UNSUPPORTED naming the valid formats', async () => {
      await open();
      const table = await session.catalog.table(`${scratch.name}.t`);
      const err = await exportTableRows(session, { table, format: 'copy', batchSize: 1 }, new Collector()).then(
        () => expect.fail('should reject'),
        (e: unknown) => e as { code: string; message: string },
      );
      expect(err.code).to.equal('FORMAT_UNSUPPORTED');
      expect(err.message).to.contain('sql, csv, ndjson');
    });
  });

  describe('filters and transforms', () => {
    beforeEach(async () => {
      await scratch.exec('CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(40), secret VARBINARY(16), score INT)');
      await scratch.exec("INSERT INTO t SELECT seq, CONCAT('user', seq), UNHEX(MD5(seq)), seq * 3 FROM seq_1_to_10");
    });

    it('applies a Kysely where expression with bound values', async () => {
      await open();
      const table = await session.catalog.table(`${scratch.name}.t`);
      const where = sql<boolean>`${sql.ref('id')} > ${5}`;
      const { text, rows } = await exportToText(session, { table, format: 'ndjson', batchSize: 1, where });
      expect(rows).to.equal(5);
      expect(text.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).to.deep.equal(['6', '7', '8', '9', '10']);
    });

    it('a row limit keeps the first rows in key order, bound as a parameter, after the filter', async () => {
      await open();
      const table = await session.catalog.table(`${scratch.name}.t`);
      const ids = (text: string) => text.trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
      expect(ids((await exportToText(session, { table, format: 'ndjson', batchSize: 1, limit: 3 })).text)).to.deep.equal(['1', '2', '3']);
      const where = sql<boolean>`${sql.ref('id')} > ${5}`;
      const limited = await exportToText(session, { table, format: 'ndjson', batchSize: 1, where, limit: 2 });
      expect(limited.rows).to.equal(2);
      expect(ids(limited.text)).to.deep.equal(['6', '7']);
      expect((await exportToText(session, { table, format: 'ndjson', batchSize: 1, limit: 0 })).rows).to.equal(0);
      // The statement carries a placeholder; the count travels as a value.
      const conn = session.connection.raw.type === 'mysql' ? session.connection.raw.conn : undefined;
      const sent: { sql: string; values: unknown }[] = [];
      const query = conn!.query.bind(conn);
      (conn as unknown as { query: (...a: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const q = args[0] as { sql?: string; values?: unknown };
        if (typeof q === 'object' && typeof q.sql === 'string') sent.push({ sql: q.sql, values: q.values });
        return (query as (...a: unknown[]) => unknown)(...args);
      };
      await exportToText(session, { table, format: 'ndjson', batchSize: 1, limit: 4 });
      const select = sent.find((q) => q.sql.startsWith('select'));
      expect(select?.sql).to.match(/ limit \?$/);
      expect(select?.values).to.deep.equal([4]);
    });

    it('applies per-column transforms; returned values become safe literals that load back', async () => {
      await open();
      const table = await session.catalog.table(`${scratch.name}.t`);
      const seen: string[] = [];
      const transforms = new Map<string, CellTransform>([
        ['name', (v) => (typeof v === 'string' ? `masked'${v.length}` : v)],
        ['secret', () => Buffer.from([0, 1])],
        ['score', (v, c) => (seen.push(c.name), v === '30' ? '1); DROP TABLE t; --' : v === '27' ? null : '42')],
      ]);
      const file = join(tmpdir(), `hfit-rows-${randomUUID()}.sql`);
      cleanups.push(() => rmSync(file, { force: true }));
      const out = createWriteStream(file);
      await exportTableRows(session, { table, format: 'sql', batchSize: 4, transforms }, out);
      await new Promise<void>((resolve) => out.end(resolve));
      expect(seen).to.have.length(10);
      const dump = readFileSync(file, 'utf8');
      expect(dump).to.contain("(1,'masked\\'5',0x0001,42)");
      expect(dump).to.contain("(10,'masked\\'6',0x0001,'1); DROP TABLE t; --')");

      const target = await createScratchDatabase('mysql');
      cleanups.push(() => target.drop());
      await target.exec('CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(40), secret VARBINARY(16), score INT)');
      await loadWithClient(target.name, file);
      const got = await target.query<{ id: number; name: string; secret: string; score: number | null }>('SELECT id, name, HEX(secret) AS secret, score FROM t ORDER BY id');
      expect(got).to.have.length(10);
      expect(got[0]).to.deep.equal({ id: 1, name: "masked'5", secret: '0001', score: 42 });
      expect(got[8]?.score).to.equal(null);
      expect(got[9]?.score).to.equal(1); // the non-numeric text was quoted, so it stayed data
    });
  });

  describe('streaming', () => {
    beforeEach(async () => {
      await scratch.exec('CREATE TABLE big (id INT PRIMARY KEY, payload VARCHAR(300), n BIGINT)');
      await scratch.exec("INSERT INTO big SELECT seq, REPEAT(CONCAT('row ', seq, ' '), 25), seq * 1000 FROM seq_1_to_200000");
    });

    it('pauses the query for a slow destination: 200k rows with bounded memory', async () => {
      await open();
      const raw = session.connection.raw;
      if (raw.type !== 'mysql') throw new Error('mysql expected');
      let pauses = 0;
      const pause = raw.conn.pause.bind(raw.conn);
      raw.conn.pause = () => {
        pauses++;
        pause();
      };
      cleanups.push(() => {
        raw.conn.pause = pause;
      });
      // Live memory, measured after a full GC: garbage awaiting collection says nothing about
      // whether the export holds rows.
      const liveMemory = liveMemoryBytes;
      const baseline = liveMemory();
      let peak = baseline;
      let bytes = 0;
      let chunks = 0;
      const slow = new Writable({
        highWaterMark: 64 * 1024,
        write(chunk: Buffer, _enc, cb) {
          bytes += chunk.length;
          if (++chunks % 5 === 0) peak = Math.max(peak, liveMemory());
          setTimeout(cb, 10);
        },
      });
      const table = await session.catalog.table(`${scratch.name}.big`);
      const { rows } = await exportTableRows(session, { table, format: 'sql', batchSize: 500 }, slow);
      expect(rows).to.equal(200_000);
      expect(bytes).to.be.greaterThan(50_000_000);
      expect(pauses).to.be.greaterThan(20);
      expect(chunks).to.be.greaterThan(20);
      expect(peak - baseline, `peak live growth ${Math.round((peak - baseline) / 1e6)} MB`).to.be.lessThan(50_000_000);
    });

    it('aborts on signal: rejects with the reason, kills the query, leaves the session usable', async () => {
      await open();
      const table = await session.catalog.table(`${scratch.name}.big`);
      const controller = new AbortController();
      let written = 0;
      const out = new Writable({
        write(chunk: Buffer, _enc, cb) {
          written += chunk.length;
          if (written > 1_000_000) controller.abort(new Error('user cancelled'));
          setTimeout(cb, 1);
        },
      });
      const started = Date.now();
      const err = await exportTableRows(session, { table, format: 'sql', batchSize: 100, signal: controller.signal }, out).then(
        () => expect.fail('should reject'),
        (e: unknown) => e as Error,
      );
      expect(err.message).to.equal('user cancelled');
      expect(Date.now() - started).to.be.lessThan(10_000);
      expect(written).to.be.lessThan(5_000_000);
      const check = await sql<{ n: string }>`SELECT COUNT(*) AS n FROM ${sql.id(scratch.name, 'big')}`.execute(session.connection.kysely);
      expect(check.rows[0]?.n).to.equal('200000');
    });

    it('rejects when the destination fails', async () => {
      await open();
      const table = await session.catalog.table(`${scratch.name}.big`);
      const out = new Writable({
        write(_chunk, _enc, cb) {
          cb(new Error('disk full'));
        },
      });
      out.on('error', () => undefined);
      const err = await exportTableRows(session, { table, format: 'csv', batchSize: 100 }, out).then(
        () => expect.fail('should reject'),
        (e: unknown) => e as Error,
      );
      expect(err.message).to.equal('disk full');
      const check = await sql<{ one: string }>`SELECT 1 AS one`.execute(session.connection.kysely);
      expect(String(check.rows[0]?.one)).to.equal('1');
    });
  });
});
