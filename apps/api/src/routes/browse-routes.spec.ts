import { randomUUID } from 'node:crypto';
import { mkdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import path from 'node:path';
import { FileEntrySchema, PreviewRowSchema, RowsPreviewSchema, SourceListSchema, TableListSchema, VolumeListSchema } from '@hfit/contracts';
import type { FileEntry, Problem } from '@hfit/contracts';
import { expect } from 'chai';
import { startPlatformApp, type PlatformApp } from '../testing/platform-app.js';
import { rawRequest } from '../testing/raw-request.js';

const NDJSON = 'application/x-ndjson';

function ndjsonLines(text: string): unknown[] {
  expect(text.endsWith('\n') || text === '', 'NDJSON ends with a line end').to.equal(true);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
}

async function problem(res: Response): Promise<Problem> {
  expect(res.headers.get('content-type')).to.match(/^application\/problem\+json/);
  return (await res.json()) as Problem;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

describe('browse routes on real sources and volumes', function () {
  this.timeout(120_000);
  let p: PlatformApp;
  let my: string;
  /** Content of the file outside the volume: must never appear in any answer. */
  const secret = `OUTSIDE-SECRET-${randomUUID()}`;
  let outside: string;
  /** Open PostgreSQL connections of the fixture database other than the test's own. */
  const pgConnections = async () =>
    Number((await p.fixture.pg.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [p.fixture.pg.name]))[0]!.n);
  const rowsPath = (source: string, db: string, table: string, query = '') => `/v1/sources/${source}/databases/${encodeURIComponent(db)}/tables/${table}/rows${query}`;

  before(async () => {
    p = await startPlatformApp();
    my = p.fixture.my.name;
    // 10 000 rows of 2 000 bytes (20 MB): more than the socket buffers between server and client hold.
    await p.fixture.pg.exec("CREATE TABLE app.wide (id int PRIMARY KEY, pad text); INSERT INTO app.wide SELECT g, repeat('x', 2000) FROM generate_series(1, 10000) g");
    const root = p.fixture.volumeRoot;
    outside = path.join(p.fixture.dir, 'outside');
    await mkdir(outside);
    await writeFile(path.join(outside, 'secret.txt'), secret);
    await symlink('../outside/secret.txt', path.join(root, 'link-out.txt'));
    await symlink(outside, path.join(root, 'link-out-dir'));
    await mkdir(path.join(root, 'sub', 'deep'), { recursive: true });
    await writeFile(path.join(root, 'sub', 'big.bin'), Buffer.alloc(3000, 7));
    await writeFile(path.join(root, 'sub', 'deep', 'note.txt'), 'deep note');
    await writeFile(path.join(root, 'my report €.txt'), 'report with a space');
    const old = new Date('2023-06-01T00:00:00Z');
    await utimes(path.join(root, 'sub', 'deep', 'note.txt'), old, old);
  });
  after(async () => {
    await p.close();
  });

  describe('sources, databases, tables', () => {
    it('lists sources, the readable databases and schemas, and tables with columns and keys', async () => {
      const sources = await p.app.fetch('/v1/sources');
      expect(sources.status).to.equal(200);
      expect(SourceListSchema.parse(await sources.json())).to.deep.equal([
        { name: 'shop_mysql', type: 'mysql' },
        { name: 'shop_pg', type: 'postgres' },
      ]);
      expect(await (await p.app.fetch('/v1/sources/shop_mysql/databases')).json()).to.deep.equal([my]);
      expect(await (await p.app.fetch('/v1/sources/shop_pg/databases')).json()).to.deep.equal(['app']);

      const tables = TableListSchema.parse(await (await p.app.fetch(`/v1/sources/shop_mysql/databases/${my}/tables`)).json());
      expect(tables.map((t) => t.name)).to.deep.equal(['customers', 'orders']);
      const orders = tables[1]!;
      expect(orders.columns.map((c) => [c.name, c.nullable])).to.deep.equal([
        ['id', false],
        ['customer_id', false],
        ['total', false],
        ['note', true],
      ]);
      expect(orders.primaryKey).to.deep.equal(['id']);
      expect(orders.foreignKeys).to.have.length(1);
      expect(orders.foreignKeys[0]).to.deep.include({ columns: ['customer_id'], refDatabase: my, refTable: 'customers', refColumns: ['id'] });
      const pg = TableListSchema.parse(await (await p.app.fetch('/v1/sources/shop_pg/databases/app/tables')).json());
      expect(pg.map((t) => t.name)).to.deep.equal(['events', 'wide']);
      expect(pg[0]!.columns.map((c) => `${c.name} ${c.type}`)).to.deep.equal(['id bigint', 'order_id integer', 'kind text', 'payload jsonb']);
    });

    it('answers unknown sources and databases with 422 problems', async () => {
      const source = await p.app.fetch('/v1/sources/nope/databases');
      expect(source.status).to.equal(422);
      expect((await problem(source)).code).to.equal('SOURCE_UNKNOWN');
      const db = await p.app.fetch('/v1/sources/shop_mysql/databases/mysql/tables');
      expect(db.status).to.equal(422);
      expect((await problem(db)).code).to.equal('DATABASE_UNKNOWN');
    });

    it('HEAD checks existence of a source, database, table, volume and file: 200 or 404, never a body', async () => {
      const cases: [string, number][] = [
        ['/v1/sources/shop_mysql', 200],
        ['/v1/sources/nope', 404],
        [`/v1/sources/shop_mysql/databases/${my}`, 200],
        ['/v1/sources/shop_mysql/databases/information_schema', 404],
        [`/v1/sources/nope/databases/${my}`, 404],
        [`/v1/sources/shop_mysql/databases/${my}/tables/orders`, 200],
        [`/v1/sources/shop_mysql/databases/${my}/tables/nope`, 404],
        ['/v1/sources/shop_pg/databases/app/tables/events', 200],
        ['/v1/sources/shop_pg/databases/public/tables/events', 404],
        ['/v1/volumes/invoices', 200],
        ['/v1/volumes/nope', 404],
        ['/v1/volumes/invoices/file?path=invoice_3.txt', 200],
        ['/v1/volumes/invoices/file?path=sub%2Fdeep%2Fnote.txt', 200],
        ['/v1/volumes/invoices/file?path=invoice_999.txt', 404],
        ['/v1/volumes/invoices/file?path=sub', 404],
        ['/v1/volumes/nope/file?path=invoice_3.txt', 404],
      ];
      for (const [url, status] of cases) {
        const res = await p.app.fetch(url, { method: 'HEAD' });
        expect(res.status, url).to.equal(status);
        expect(await res.text(), url).to.equal('');
      }
      const head = await p.app.fetch('/v1/volumes/invoices/file?path=invoice_3.txt', { method: 'HEAD' });
      expect(head.headers.get('content-length')).to.equal(String('Invoice for order 3\n'.length));
      // The existence checks are HEAD-only paths.
      const get = await p.app.fetch('/v1/sources/shop_mysql');
      expect(get.status).to.equal(405);
      expect(get.headers.get('allow')).to.equal('HEAD, OPTIONS');
    });
  });

  describe('rows', () => {
    it('answers JSON {columns, rows} by default, first rows in key order, with the limit', async () => {
      const res = await p.app.fetch(rowsPath('shop_mysql', my, 'customers', '?limit=3'));
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      expect(res.headers.get('vary')).to.match(/Accept/);
      const body = RowsPreviewSchema.parse(await res.json());
      expect(body.columns.map((c) => c.name)).to.deep.equal(['id', 'name', 'email']);
      expect(body.rows).to.deep.equal([
        { id: '1', name: 'Customer 1', email: 'c1@example.test' },
        { id: '2', name: 'Customer 2', email: 'c2@example.test' },
        { id: '3', name: 'Customer 3', email: 'c3@example.test' },
      ]);
      const all = RowsPreviewSchema.parse(await (await p.app.fetch(rowsPath('shop_mysql', my, 'orders'))).json());
      expect(all.rows.map((r) => Number(r['id']))).to.deep.equal(Array.from({ length: 60 }, (_, i) => i + 1));
      const tooMany = await p.app.fetch(rowsPath('shop_mysql', my, 'orders', '?limit=10001'));
      expect(tooMany.status).to.equal(400);
      expect((await problem(tooMany)).errors?.map((e) => e.field)).to.deep.equal(['query.limit']);
    });

    it('streams NDJSON, one row object per line, with Accept: application/x-ndjson or format=ndjson', async () => {
      const json = RowsPreviewSchema.parse(await (await p.app.fetch(rowsPath('shop_pg', 'app', 'events', "?filter=kind%20%3D%20'kind-1'&limit=7"))).json());
      expect(json.rows).to.have.length(7);
      expect(json.rows.every((r) => r['kind'] === 'kind-1')).to.equal(true);
      for (const [url, headers] of [
        [rowsPath('shop_pg', 'app', 'events', "?filter=kind%20%3D%20'kind-1'&limit=7"), { Accept: NDJSON }],
        [rowsPath('shop_pg', 'app', 'events', "?filter=kind%20%3D%20'kind-1'&limit=7&format=ndjson"), {}],
        [rowsPath('shop_pg', 'app', 'events', "?filter=kind%20%3D%20'kind-1'&limit=7&format=ndjson"), { Accept: 'application/json' }],
      ] as const) {
        const res = await p.app.fetch(url, { headers });
        expect(res.status).to.equal(200);
        expect(res.headers.get('content-type')).to.equal(`${NDJSON}; charset=utf-8`);
        const rows = ndjsonLines(await res.text()).map((r) => PreviewRowSchema.parse(r));
        expect(rows).to.deep.equal(json.rows);
      }
      const explicitJson = await p.app.fetch(rowsPath('shop_mysql', my, 'customers', '?limit=1&format=json'), { headers: { Accept: NDJSON } });
      expect(explicitJson.headers.get('content-type')).to.match(/^application\/json/);
      const unacceptable = await p.app.fetch(rowsPath('shop_mysql', my, 'customers'), { headers: { Accept: 'text/csv' } });
      expect(unacceptable.status).to.equal(406);
      expect((await problem(unacceptable)).code).to.equal('NOT_ACCEPTABLE');
    });

    it('applies a filter with its values bound, as the database itself would select', async () => {
      const filter = encodeURIComponent("WHERE customer_id = 3 AND (total > 100 OR note LIKE 'note 2%')");
      const body = RowsPreviewSchema.parse(await (await p.app.fetch(rowsPath('shop_mysql', my, 'orders', `?filter=${filter}&limit=100`))).json());
      const expected = await p.fixture.my.query<{ id: number }>("SELECT id FROM orders WHERE customer_id = 3 AND (total > 100 OR note LIKE 'note 2%') ORDER BY id");
      expect(expected.length).to.be.greaterThan(0);
      expect(body.rows.map((r) => Number(r['id']))).to.deep.equal(expected.map((r) => Number(r.id)));
      // A quote in a value is data, not SQL.
      const quoted = await p.app.fetch(rowsPath('shop_mysql', my, 'customers', `?filter=${encodeURIComponent("name = 'x'' OR ''1''=''1'")}`));
      expect(RowsPreviewSchema.parse(await quoted.json()).rows).to.deep.equal([]);
    });

    it('rejects malicious filters with 422 before anything reaches the database, JSON or NDJSON', async () => {
      const cases: [string, string, string, string][] = [
        ['shop_mysql', my, '1=1; DROP TABLE orders', 'FILTER_REJECTED'],
        ['shop_mysql', my, 'id IN (SELECT id FROM customers)', 'FILTER_REJECTED'],
        ['shop_mysql', my, 'sleep(5) = 0', 'FILTER_REJECTED'],
        ['shop_mysql', my, 'id = 1 OR sleep(5)', 'FILTER_REJECTED'],
        ['shop_mysql', my, 'id = 1 UNION SELECT id, name, email FROM customers', 'FILTER_REJECTED'],
        ['shop_mysql', my, "id = 1 -- '", 'FILTER_REJECTED'],
        ['shop_mysql', my, 'id = = 1', 'FILTER_SYNTAX'],
        ['shop_pg', 'app', 'id = 1 OR pg_sleep(5) IS NULL', 'FILTER_REJECTED'],
        ['shop_pg', 'app', 'id = 1; DROP TABLE app.events', 'FILTER_REJECTED'],
      ];
      const started = Date.now();
      for (const [source, db, filter, code] of cases) {
        const table = source === 'shop_pg' ? 'events' : 'orders';
        for (const accept of ['application/json', NDJSON]) {
          const res = await p.app.fetch(rowsPath(source, db, table, `?filter=${encodeURIComponent(filter)}`), { headers: { Accept: accept } });
          expect(res.status, filter).to.equal(422);
          const body = await problem(res);
          expect(body.code, filter).to.equal(code);
          expect(body.field, filter).to.equal('query.filter');
        }
      }
      // Eighteen requests with sleep(5) in them: none slept.
      expect(Date.now() - started).to.be.below(5000);
      const unknownColumn = await p.app.fetch(rowsPath('shop_mysql', my, 'orders', '?filter=password%20%3D%201'));
      expect(unknownColumn.status).to.equal(422);
      expect((await problem(unknownColumn)).code).to.equal('COLUMN_UNKNOWN');
      // The databases are intact.
      const count = async (table: string) => Number((await p.fixture.my.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
      expect(await count('orders')).to.equal(60);
      expect(await count('customers')).to.equal(10);
      expect(await p.fixture.pg.query('SELECT count(*)::int AS n FROM app.events')).to.deep.equal([{ n: 120 }]);
    });

    /** A rows request over node:http, its response paused: nothing read beyond the kernel's socket buffers. */
    const pausedRows = async (table: string): Promise<IncomingMessage> => {
      const { hostname, port } = new URL(p.app.url);
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        const headers = { Accept: NDJSON, Authorization: `Bearer ${p.tokens['alice']!}` };
        const req = httpRequest({ host: hostname, port, path: rowsPath('shop_pg', 'app', table, '?limit=10000'), headers }, resolve);
        req.on('error', reject);
        req.end();
      });
      res.pause();
      expect(res.statusCode).to.equal(200);
      expect(res.headers['content-type']).to.equal(`${NDJSON}; charset=utf-8`);
      return res;
    };

    it('NDJSON waits for a slow client, and a client that goes away closes the database session', async () => {
      const idle = await pgConnections();
      const res = await pausedRows('wide');
      // Unpaced, the server reads the 20 MB within a second and closes the session; paced by the
      // client, it is still open, waiting for the response to drain.
      await sleep(1500);
      expect(await pgConnections()).to.equal(idle + 1);
      res.destroy();
      await eventually(async () => (await pgConnections()) === idle, 'the preview session is closed');
      await eventually(async () => p.app.logs.text().includes('NDJSON stream ended: the client went away'), 'the server logged the disconnect');
    });

    it('a failure after the NDJSON stream started cuts the response and closes the session', async () => {
      const idle = await pgConnections();
      const res = await pausedRows('wide');
      await sleep(300);
      const killed = await p.fixture.pg.query<{ k: boolean }>('SELECT pg_terminate_backend(pid) AS k FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [p.fixture.pg.name]);
      expect(killed).to.deep.equal([{ k: true }]);
      let bytes = 0;
      const outcome = await new Promise<string>((resolve) => {
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve('ended cleanly'));
        res.on('error', () => resolve('cut'));
        res.on('close', () => resolve(res.complete ? 'ended cleanly' : 'cut'));
        res.resume();
      });
      expect(outcome, 'the client must see a cut stream, not a complete-looking one').to.equal('cut');
      expect(bytes).to.be.above(0).and.below(10_000 * 2000);
      await eventually(async () => (await pgConnections()) === idle, 'the preview session is closed');
      await eventually(async () => p.app.logs.text().includes('NDJSON stream failed after it started'), 'the server logged the failure');
    });
  });

  describe('volumes and files', () => {
    const files = async (query: string): Promise<FileEntry[]> => {
      const res = await p.app.fetch(`/v1/volumes/invoices/files${query}`);
      expect(res.status, query).to.equal(200);
      expect(res.headers.get('content-type')).to.equal(`${NDJSON}; charset=utf-8`);
      return ndjsonLines(await res.text()).map((e) => FileEntrySchema.parse(e));
    };

    it('lists volumes, and a volume recursively with folders, confined to its root', async () => {
      expect(VolumeListSchema.parse(await (await p.app.fetch('/v1/volumes')).json())).to.deep.equal([{ name: 'invoices' }]);
      const all = await files('');
      const paths = all.map((e) => e.path);
      expect(paths).to.include.members(['invoice_1.txt', 'att_50_2.txt', 'sub', 'sub/big.bin', 'sub/deep', 'sub/deep/note.txt', 'my report €.txt']);
      expect(all.find((e) => e.path === 'sub')).to.deep.include({ name: 'sub', isdir: true, size: 0 });
      expect(all.find((e) => e.path === 'sub/big.bin')).to.deep.include({ name: 'big.bin', isdir: false, size: 3000 });
      expect(paths.indexOf('sub')).to.be.below(paths.indexOf('sub/deep/note.txt'));
      // 150 invoice and attachment files, the report, sub, sub/deep and their two files: nothing from outside.
      expect(paths.filter((x) => x.startsWith('link-out') || x.includes('secret'))).to.deep.equal([]);
      expect(all).to.have.length(150 + 1 + 4);
    });

    it('applies name, mtime, size, path and sort filters given as repeated filter parameters', async () => {
      const recent = await files('?filter=name:invoice_*.txt&filter=mtime:7');
      expect(recent.map((e) => e.name).sort()).to.deep.equal(Array.from({ length: 49 }, (_, i) => `invoice_${i + 2}.txt`).sort());
      expect((await files('?filter=name:invoice_*.txt&filter=mtime:-7')).map((e) => e.path)).to.deep.equal(['invoice_1.txt']);
      expect((await files('?filter=size:%3E1k')).map((e) => e.path)).to.deep.equal(['sub/big.bin']);
      expect((await files('?filter=path:sub&filter=name:*.txt')).map((e) => e.path)).to.deep.equal(['sub/deep/note.txt']);
      const sorted = await files('?filter=name:att_7_*&filter=sort:name:desc');
      expect(sorted.map((e) => e.path)).to.deep.equal(['att_7_2.txt', 'att_7_1.txt']);
      expect((await files(`?filter=${encodeURIComponent('name:my report*')}`)).map((e) => e.path)).to.deep.equal(['my report €.txt']);
    });

    it('refuses bad filters with 400 REQUEST_INVALID naming each bad token', async () => {
      const res = await p.app.fetch('/v1/volumes/invoices/files?filter=colour:red&filter=size:huge&filter=name:*.txt');
      expect(res.status).to.equal(400);
      const body = await problem(res);
      expect(body.code).to.equal('REQUEST_INVALID');
      expect(body.detail).to.contain('"colour:red"').and.to.contain('"size:huge"');
      expect(body.errors?.map((e) => e.field)).to.deep.equal(['query.filter', 'query.filter']);
      expect(body.errors?.map((e) => e.message.split(' ')[0])).to.deep.equal(['"colour:red"', '"size:huge"']);
      const unknown = await p.app.fetch('/v1/volumes/nope/files');
      expect(unknown.status).to.equal(422);
      expect((await problem(unknown)).code).to.equal('VOLUME_UNKNOWN');
      const notFolder = await p.app.fetch('/v1/volumes/invoices/files?filter=path:invoice_1.txt');
      expect(notFolder.status).to.equal(404);
    });

    it('downloads a file with Content-Length, octet-stream, attachment and Last-Modified', async () => {
      const res = await p.app.fetch('/v1/volumes/invoices/file?path=invoice_1.txt');
      expect(res.status).to.equal(200);
      expect(await res.text()).to.equal('Invoice for order 1\n');
      expect(res.headers.get('content-length')).to.equal('20');
      expect(res.headers.get('content-type')).to.equal('application/octet-stream');
      expect(res.headers.get('content-disposition')).to.equal('attachment; filename=invoice_1.txt');
      expect(res.headers.get('last-modified')).to.equal(new Date('2024-01-01').toUTCString());
      expect(res.headers.get('x-hfit-file-path')).to.equal(null);
      const unicode = await p.app.fetch(`/v1/volumes/invoices/file?path=${encodeURIComponent('my report €.txt')}`);
      expect(await unicode.text()).to.equal('report with a space');
      expect(unicode.headers.get('content-disposition')).to.equal(`attachment; filename="my report ?.txt"; filename*=UTF-8''my%20report%20%E2%82%AC.txt`);
      const nested = await p.app.fetch('/v1/volumes/invoices/file?path=sub/deep/note.txt');
      expect(await nested.text()).to.equal('deep note');
      for (const [url, status, code] of [
        ['/v1/volumes/invoices/file?path=invoice_999.txt', 404, 'FILE_NOT_FOUND'],
        ['/v1/volumes/invoices/file?path=sub', 404, 'FILE_NOT_FOUND'],
        ['/v1/volumes/nope/file?path=invoice_1.txt', 422, 'VOLUME_UNKNOWN'],
        ['/v1/volumes/invoices/file', 400, 'REQUEST_INVALID'],
      ] as const) {
        const bad = await p.app.fetch(url);
        expect(bad.status, url).to.equal(status);
        expect((await problem(bad)).code, url).to.equal(code);
      }
    });

    it('answers one Range with 206 and Content-Range, 416 past the end, the whole file for several ranges or a stale If-Range', async () => {
      const url = '/v1/volumes/invoices/file?path=invoice_1.txt'; // "Invoice for order 1\n", 20 bytes, modified 2024-01-01
      const get = (headers: Record<string, string>) => p.app.fetch(url, { headers });
      const part = await get({ Range: 'bytes=8-12' });
      expect(part.status).to.equal(206);
      expect(await part.text()).to.equal('for o');
      expect(part.headers.get('content-range')).to.equal('bytes 8-12/20');
      expect(part.headers.get('content-length')).to.equal('5');
      expect(part.headers.get('accept-ranges')).to.equal('bytes');
      const audited = await p.app.audit.next((e) => e.action === 'browse.file' && e.outcome === 'success' && e.detail === 'range bytes=8-12/20');
      expect(audited).to.deep.include({ target: 'invoices:invoice_1.txt', bytes: 5 });
      const tail = await get({ Range: 'bytes=-3' });
      expect([tail.status, await tail.text(), tail.headers.get('content-range')]).to.deep.equal([206, ' 1\n', 'bytes 17-19/20']);
      const open = await get({ Range: 'bytes=18-' });
      expect([open.status, await open.text()]).to.deep.equal([206, '1\n']);
      const past = await get({ Range: 'bytes=20-' });
      expect(past.status).to.equal(416);
      expect(past.headers.get('content-range')).to.equal('bytes */20');
      expect(await problem(past)).to.include({ code: 'STORAGE_RANGE_INVALID', field: 'headers.range' });
      const several = await get({ Range: 'bytes=0-1,5-6' });
      expect([several.status, await several.text()]).to.deep.equal([200, 'Invoice for order 1\n']);
      const lastModified = new Date('2024-01-01').toUTCString();
      const fresh = await get({ Range: 'bytes=0-6', 'If-Range': lastModified });
      expect([fresh.status, await fresh.text()]).to.deep.equal([206, 'Invoice']);
      for (const ifRange of [new Date('2024-01-02').toUTCString(), '"some-etag"']) {
        const stale = await get({ Range: 'bytes=0-6', 'If-Range': ifRange });
        expect([stale.status, (await stale.text()).length], ifRange).to.deep.equal([200, 20]);
      }
      const head = await p.app.fetch(url, { method: 'HEAD', headers: { Range: 'bytes=0-6' } });
      expect([head.status, head.headers.get('content-length'), head.headers.get('content-range')]).to.deep.equal([200, '20', null]);
    });

    it('downloads the best file by filters and sort, naming it in X-Hfit-File-Path', async () => {
      const oldest = await p.app.fetch('/v1/volumes/invoices/best?filter=name:invoice_*.txt&filter=sort:mtime:asc');
      expect(oldest.status).to.equal(200);
      expect(oldest.headers.get('x-hfit-file-path')).to.equal('invoice_1.txt');
      expect(await oldest.text()).to.equal('Invoice for order 1\n');
      const byName = await p.app.fetch('/v1/volumes/invoices/best?filter=name:att_9_*.txt&filter=sort:name:desc');
      expect(byName.headers.get('x-hfit-file-path')).to.equal('att_9_2.txt');
      expect(byName.headers.get('content-disposition')).to.equal('attachment; filename=att_9_2.txt');
      expect(byName.headers.get('content-length')).to.equal(String('attachment 2 of order 9\n'.length));
      expect(await byName.text()).to.equal('attachment 2 of order 9\n');
      // Default sort: newest first; only files count, below path: when given.
      const inSub = await p.app.fetch('/v1/volumes/invoices/best?filter=path:sub');
      expect(inSub.headers.get('x-hfit-file-path')).to.equal('sub/big.bin');
      const spaced = await p.app.fetch(`/v1/volumes/invoices/best?filter=${encodeURIComponent('name:my report*')}`);
      expect(spaced.headers.get('x-hfit-file-path')).to.equal('my%20report%20%E2%82%AC.txt');
      const head = await p.app.fetch('/v1/volumes/invoices/best?filter=name:att_9_*.txt&filter=sort:name', { method: 'HEAD' });
      expect(head.status).to.equal(200);
      expect(head.headers.get('x-hfit-file-path')).to.equal('att_9_1.txt');
      expect(await head.text()).to.equal('');
      const none = await p.app.fetch('/v1/volumes/invoices/best?filter=name:*.pdf');
      expect(none.status).to.equal(404);
      expect((await problem(none)).code).to.equal('FILE_NOT_FOUND');
      const bad = await p.app.fetch('/v1/volumes/invoices/best?filter=sort:colour');
      expect(bad.status).to.equal(400);
    });

    it('never reads outside the volume: traversal attempts over HTTP are 4xx with none of the outside bytes', async () => {
      const absolute = encodeURIComponent(path.join(outside, 'secret.txt'));
      const corpus: [method: string, rawPath: string][] = [
        ['GET', '/v1/volumes/invoices/file?path=../outside/secret.txt'],
        ['GET', '/v1/volumes/invoices/file?path=%2e%2e%2foutside%2fsecret.txt'],
        ['GET', '/v1/volumes/invoices/file?path=%2E%2E/outside/secret.txt'],
        ['GET', '/v1/volumes/invoices/file?path=sub/../../outside/secret.txt'],
        ['GET', '/v1/volumes/invoices/file?path=sub/deep/../../../outside/secret.txt'],
        ['GET', '/v1/volumes/invoices/file?path=/etc/passwd'],
        ['GET', '/v1/volumes/invoices/file?path=%2Fetc%2Fpasswd'],
        ['GET', `/v1/volumes/invoices/file?path=${absolute}`],
        ['GET', '/v1/volumes/invoices/file?path=invoice_1.txt%00.png'],
        ['GET', '/v1/volumes/invoices/file?path=%00'],
        ['GET', '/v1/volumes/invoices/file?path=..%5Coutside%5Csecret.txt'],
        ['GET', '/v1/volumes/invoices/file?path=link-out.txt'],
        ['GET', '/v1/volumes/invoices/file?path=link-out-dir/secret.txt'],
        ['GET', '/v1/volumes/invoices/file?path=%252e%252e%252foutside%252fsecret.txt'],
        ['HEAD', '/v1/volumes/invoices/file?path=link-out.txt'],
        ['HEAD', '/v1/volumes/invoices/file?path=../outside/secret.txt'],
        ['GET', '/v1/volumes/..%2F..%2Fetc/file?path=passwd'],
        ['GET', '/v1/volumes/%2e%2e/file?path=outside/secret.txt'],
        ['GET', '/v1/volumes/invoices%2F..%2Foutside/file?path=secret.txt'],
        ['GET', '/v1/volumes/invoices/../outside/file?path=secret.txt'],
        ['GET', '/v1/volumes/%E0%A4%A/file?path=secret.txt'],
        ['GET', '/v1/volumes/invoices%00/file?path=invoice_1.txt'],
        ['GET', '/v1/volumes/invoices/files?filter=path:..'],
        ['GET', '/v1/volumes/invoices/files?filter=path:../outside'],
        ['GET', '/v1/volumes/invoices/files?filter=path:link-out-dir'],
        ['GET', '/v1/volumes/invoices/files?filter=path:%2Ftmp'],
        ['GET', '/v1/volumes/invoices/best?filter=path:..'],
        ['GET', '/v1/volumes/invoices/best?filter=path:link-out-dir'],
        ['GET', '/v1/volumes/invoices/best?filter=path:sub/../../outside'],
      ];
      const auth = { Authorization: `Bearer ${p.tokens['alice']!}` };
      for (const [method, rawPath] of corpus) {
        const res = await rawRequest(p.app.url, method, rawPath, auth);
        expect(res.status, `${method} ${rawPath}`).to.be.within(400, 499);
        expect(res.body.toString('latin1'), `${method} ${rawPath}`).not.to.contain(secret);
        if (method === 'GET') expect(res.headers['content-type'], `${method} ${rawPath}`).to.match(/^application\/problem\+json/);
        else expect(res.body.length).to.equal(0);
      }
      const escape = await rawRequest(p.app.url, 'GET', '/v1/volumes/invoices/file?path=link-out.txt', auth);
      expect(escape.status).to.equal(422);
      expect((JSON.parse(escape.body.toString()) as Problem).code).to.equal('PATH_ESCAPE');
      expect((JSON.parse(escape.body.toString()) as Problem).field).to.equal('query.path');
      // Not a vacuous test: the link is there, and the secret is readable by the server process.
      expect(await readFile(path.join(p.fixture.volumeRoot, 'link-out.txt'), 'utf8')).to.equal(secret);
    });
  });

  it('rows and listings of unknown things are problems, never a 200 with an empty stream', async () => {
    const rows = await p.app.fetch(rowsPath('shop_mysql', my, 'nope'), { headers: { Accept: NDJSON } });
    expect(rows.status).to.equal(422);
    expect((await problem(rows)).code).to.equal('TABLE_UNKNOWN');
  });
});
