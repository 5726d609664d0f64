import { expect } from 'chai';
import type { SourceConfig } from '@hfit/config';
import { RowsPreviewQuerySchema, RowsPreviewSchema, type PreviewRow } from '@hfit/contracts';
import type { SourceType } from '@hfit/db';
import { createScratchDatabase, type ScratchDatabase } from '@hfit/db/testing';
import { connectionId, serverHasConnection, SessionRecorder } from '../testing/session-recorder.js';
import { previewRows, type RowsPreviewRequest } from './preview-rows.js';

/** 150 items inserted in reverse key order (so only ORDER BY gives key order), a generated column. */
async function createItems(scratch: ScratchDatabase): Promise<string> {
  if (scratch.type === 'mysql') {
    await scratch.exec(`CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, price DECIMAL(10,2) NULL,
        raw VARBINARY(4) NULL, total INT AS (id * 10) STORED);
      INSERT INTO items (id, name, price, raw) SELECT seq, CONCAT('item', seq), seq / 4, IF(seq = 1, 0x00ff, NULL) FROM seq_150_to_1`);
    return scratch.name;
  }
  await scratch.exec(String.raw`CREATE SCHEMA app;
    CREATE TABLE app.items (id int PRIMARY KEY, name varchar(20) NOT NULL, price numeric(10,2), raw bytea,
      total int GENERATED ALWAYS AS (id * 10) STORED);
    INSERT INTO app.items (id, name, price, raw)
      SELECT g, 'item' || g, g / 4.0, CASE WHEN g = 1 THEN '\x00ff'::bytea END FROM generate_series(150, 1, -1) g`);
  return 'app';
}

async function collect(rows: AsyncIterable<PreviewRow>): Promise<PreviewRow[]> {
  const out: PreviewRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

async function rejection(p: Promise<unknown>): Promise<{ code: string; message: string; field?: string }> {
  return p.then(
    () => expect.fail('should reject'),
    (e: { code: string; message: string; field?: string }) => e,
  );
}

for (const type of ['mysql', 'postgres'] as SourceType[]) {
  describe(`previewRows (${type})`, function () {
    this.timeout(60_000);
    let scratch: ScratchDatabase;
    let db: string;
    let source: SourceConfig;
    let recorder: SessionRecorder;
    const config = () => ({ sources: [source] });
    const preview = (request: Partial<RowsPreviewRequest>) =>
      previewRows(config(), { source: 'src', database: db, table: 'items', ...request }, { openSession: recorder.openSession });
    const ids = (rows: PreviewRow[]) => rows.map((r) => Number(r['id']));
    /** The row query of the recorded statements (catalog queries name no table in their text). */
    const rowQueries = () => recorder.statements.filter((s) => /^select/i.test(s.sql) && /items|wide/.test(s.sql));

    beforeEach(async () => {
      scratch = await createScratchDatabase(type);
      db = await createItems(scratch);
      source = { ...scratch.source, name: 'src' };
      recorder = new SessionRecorder();
    });
    afterEach(async () => {
      for (const s of recorder.sessions) await s.close();
      await scratch.drop();
    });

    it('streams the first rows in key order: server text, null, {$binary}; stored columns only', async () => {
      const p = await preview({ limit: 3 });
      const intType = type === 'mysql' ? /^int(\(11\))?$/ : /^integer$/;
      expect(p.columns.map((c) => c.name)).to.deep.equal(['id', 'name', 'price', 'raw']);
      expect(p.columns[0]!.type).to.match(intType);
      expect(p.columns.slice(1)).to.deep.equal(
        type === 'mysql'
          ? [
              { name: 'name', type: 'varchar(20)', nullable: false },
              { name: 'price', type: 'decimal(10,2)', nullable: true },
              { name: 'raw', type: 'varbinary(4)', nullable: true },
            ]
          : [
              { name: 'name', type: 'character varying(20)', nullable: false },
              { name: 'price', type: 'numeric(10,2)', nullable: true },
              { name: 'raw', type: 'bytea', nullable: true },
            ],
      );
      const rows = await collect(p.rows);
      expect(rows).to.deep.equal([
        { id: '1', name: 'item1', price: '0.25', raw: { $binary: 'AP8=' } },
        { id: '2', name: 'item2', price: '0.50', raw: null },
        { id: '3', name: 'item3', price: '0.75', raw: null },
      ]);
      // What the API answers in the json format is exactly this, and its schema says so.
      const body = { columns: [...p.columns], rows };
      expect(RowsPreviewSchema.parse(body)).to.deep.equal(body);
      expect(await serverHasConnection(scratch, connectionId(recorder.sessions[0]!))).to.equal(false);
    });

    it('reads 100 rows unless told otherwise, and never more than asked', async () => {
      expect(ids(await collect((await preview({})).rows))).to.deep.equal(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(await collect((await preview({ limit: 1 })).rows)).to.have.length(1);
      expect(await collect((await preview({ limit: 10_000 })).rows)).to.have.length(150);
    });

    it('binds the row limit as a parameter of the row query', async () => {
      await collect((await preview({ limit: 7 })).rows);
      const [query, ...more] = rowQueries();
      expect(more).to.deep.equal([]);
      expect(query!.sql).to.match(type === 'mysql' ? / limit \?$/ : / LIMIT \$1$/);
      expect(query!.sql).not.to.match(/\b7\b/);
      expect(query!.values.map(String)).to.deep.equal(['7']);
    });

    it('applies the filter, WHERE optional, with its values bound', async () => {
      expect(ids(await collect((await preview({ filter: 'id BETWEEN 10 AND 12' })).rows))).to.deep.equal([10, 11, 12]);
      expect(ids(await collect((await preview({ filter: "WHERE name = 'item7' OR price > 37.25" })).rows))).to.deep.equal([7, 150]);
      expect(await collect((await preview({ filter: "name = 'x'' OR ''1''=''1'" })).rows)).to.deep.equal([]);
      expect(ids(await collect((await preview({ filter: '   ', limit: 2 })).rows))).to.deep.equal([1, 2]);
      const filtered = rowQueries().find((q) => q.values.includes("x' OR '1'='1"));
      expect(filtered?.sql).not.to.match(/\bOR\b/i);
    });

    it('rejects a bad limit with REQUEST_INVALID before connecting, as the API query schema does', async () => {
      for (const limit of [0, -1, 10_001, 1.5, Number.NaN]) {
        const err = await rejection(preview({ limit }));
        expect(err.code, String(limit)).to.equal('REQUEST_INVALID');
        expect(err.field).to.equal('limit');
        expect(err.message).to.contain('1 to 10000');
        expect(RowsPreviewQuerySchema.safeParse({ limit: String(limit) }).success, String(limit)).to.equal(false);
      }
      expect(RowsPreviewQuerySchema.parse({})).to.deep.equal({ limit: 100 });
      expect(RowsPreviewQuerySchema.parse({ limit: '10000', filter: 'id > 1', format: 'ndjson' })).to.deep.equal({ limit: 10_000, filter: 'id > 1', format: 'ndjson' });
      expect(recorder.sessions).to.deep.equal([]);
    });

    it('fails on unknown sources, databases, tables and columns with typed errors, and closes the session', async () => {
      expect((await rejection(previewRows(config(), { source: 'nope', database: db, table: 'items' }))).code).to.equal('SOURCE_UNKNOWN');
      expect((await rejection(preview({ database: 'nope' }))).code).to.equal('DATABASE_UNKNOWN');
      const table = await rejection(preview({ table: 'itemz' }));
      expect(table.code).to.equal('TABLE_UNKNOWN');
      expect(table.message).to.contain('"itemz"').and.to.contain('items');
      expect((await rejection(preview({ filter: 'nosuch = 1' }))).code).to.equal('COLUMN_UNKNOWN');
      expect(recorder.sessions).to.have.length(3);
      for (const s of recorder.sessions) expect(await serverHasConnection(scratch, connectionId(s))).to.equal(false);
    });

    it('a rejected filter sends no query: nothing of it reaches the server, and the session is closed', async () => {
      const sleep = type === 'mysql' ? 'sleep(3)' : 'pg_sleep(3)';
      const cases: [string, string][] = [
        [`id = 1 OR ${sleep} IS NULL`, 'FILTER_REJECTED'],
        ['id = 1; DROP TABLE items', 'FILTER_REJECTED'],
        ['id IN (SELECT id FROM items)', 'FILTER_REJECTED'],
        ['id = 1 UNION SELECT 1', 'FILTER_REJECTED'],
        ["id = 1 -- '", 'FILTER_REJECTED'],
        ['id = = 1', 'FILTER_SYNTAX'],
      ];
      for (const [filter, code] of cases) {
        const err = await rejection(preview({ filter }));
        expect(err.code, filter).to.equal(code);
        expect(err.field, filter).to.equal('filter');
      }
      expect(rowQueries()).to.deep.equal([]);
      // Catalog lookups bind the table's name as a value; no statement text names the table, and
      // nothing sent carries any part of a filter.
      for (const s of recorder.statements) {
        expect(s.sql).not.to.match(/sleep|DROP TABLE|UNION SELECT|\bitems\b/i);
        expect(JSON.stringify(s.values)).not.to.match(/sleep|DROP TABLE|UNION SELECT|id = /i);
      }
      expect(recorder.sessions).to.have.length(cases.length);
      for (const s of recorder.sessions) expect(await serverHasConnection(scratch, connectionId(s))).to.equal(false);
    });

    it('streams with backpressure; leaving early stops the query and closes the connection', async function () {
      this.timeout(120_000);
      // 10 000 rows of 4 000 bytes: 40 MB if it were all read.
      await scratch.exec(
        type === 'mysql'
          ? "CREATE TABLE wide (id INT PRIMARY KEY, pad TEXT); INSERT INTO wide SELECT seq, REPEAT('x', 4000) FROM seq_1_to_10000"
          : "CREATE TABLE app.wide (id int PRIMARY KEY, pad text); INSERT INTO app.wide SELECT g, repeat('x', 4000) FROM generate_series(1, 10000) g",
      );
      const p = await preview({ table: 'wide', limit: 10_000 });
      const session = recorder.sessions[0]!;
      const before = recorder.bytesReceived;
      let seen = 0;
      for await (const row of p.rows) {
        expect(row['pad']).to.have.length(4000);
        if (++seen === 1) {
          // A consumer that takes its time: the read must wait for it instead of buffering.
          await new Promise((resolve) => setTimeout(resolve, 500));
          expect(recorder.bytesReceived - before, 'bytes received while the consumer holds the first row').to.be.below(20e6);
        }
        if (seen === 3) break;
      }
      expect(await serverHasConnection(scratch, connectionId(session))).to.equal(false);
      // The iterable is used up: a second loop gets nothing.
      expect(await collect(p.rows)).to.deep.equal([]);
      await p.close();
    });

    it('close() before iterating closes the session; close() mid-way ends the iteration', async () => {
      const unread = await preview({ limit: 5 });
      await unread.close();
      await unread.close();
      expect(await serverHasConnection(scratch, connectionId(recorder.sessions[0]!))).to.equal(false);
      expect(await collect(unread.rows)).to.deep.equal([]);

      const halfway = await preview({ limit: 150 });
      const it = halfway.rows[Symbol.asyncIterator]();
      expect((await it.next()).value).to.deep.include({ id: '1' });
      await halfway.close();
      expect(await it.next()).to.deep.equal({ done: true, value: undefined });
      expect(await serverHasConnection(scratch, connectionId(recorder.sessions[1]!))).to.equal(false);
    });

    it('an aborted signal ends the iteration with its reason and closes the session', async () => {
      const controller = new AbortController();
      const p = await previewRows(config(), { source: 'src', database: db, table: 'items', limit: 150 }, { openSession: recorder.openSession, signal: controller.signal });
      const it = p.rows[Symbol.asyncIterator]();
      expect((await it.next()).done).to.equal(false);
      const reason = new Error('client went away');
      controller.abort(reason);
      const err = await it.next().then(
        () => expect.fail('should reject'),
        (e: unknown) => e,
      );
      expect(err).to.equal(reason);
      expect(await serverHasConnection(scratch, connectionId(recorder.sessions[0]!))).to.equal(false);
      // Already aborted: no session is opened at all.
      const again = previewRows(config(), { source: 'src', database: db, table: 'items' }, { openSession: recorder.openSession, signal: controller.signal });
      expect(await rejection(again)).to.equal(reason);
      expect(recorder.sessions).to.have.length(1);
    });
  });
}
