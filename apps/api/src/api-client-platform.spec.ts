import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ApiError, ApiStreamInterruptedError, createApiClient, isApiError, type ApiClient } from '@hfit/api-client';
import type { FileEntry, PreviewRow } from '@hfit/contracts';
import { expect } from 'chai';
import { startPlatformApp, type PlatformApp } from './testing/platform-app.js';
import { buildTarGz } from './testing/tar-gz.js';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

function templateText(name: string, projectName = 'demo'): string {
  return `# client test\nhfitVersion: 1\ntemplateName: ${name}\nprojectName: ${projectName}\nexports:\n  i.txt: { type: file, data: { volume: invoices, path: "invoice_$1.txt" } }\n`;
}

describe('@hfit/api-client browse and templates against the real platform', function () {
  this.timeout(120_000);
  let p: PlatformApp;
  let client: ApiClient;
  let my: string;
  const pgConnections = async () =>
    Number((await p.fixture.pg.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [p.fixture.pg.name]))[0]!.n);

  before(async () => {
    p = await startPlatformApp();
    client = createApiClient({ baseUrl: p.app.url, token: p.tokens['alice']!, userAgent: 'hfit-cli/test' });
    my = p.fixture.my.name;
    await p.fixture.pg.exec("CREATE TABLE app.wide (id int PRIMARY KEY, pad text); INSERT INTO app.wide SELECT g, repeat('y', 2000) FROM generate_series(1, 10000) g");
    await p.fixture.my.exec("CREATE TABLE `odd name` (id INT PRIMARY KEY, `a b` VARCHAR(20)); INSERT INTO `odd name` VALUES (1, 'x y'), (2, 'z')");
    const docs = path.join(p.fixture.volumeRoot, 'docs 2024');
    await mkdir(docs);
    await writeFile(path.join(docs, 'rechnung €1 #a?.txt'), 'euro invoice');
    await writeFile(path.join(docs, '100%.txt'), 'percent');
  });
  after(async () => {
    await p.close();
  });

  describe('browse', () => {
    it('reads sources, databases and tables, and answers existence checks', async () => {
      expect(await client.browse.sources()).to.deep.equal([
        { name: 'shop_mysql', type: 'mysql' },
        { name: 'shop_pg', type: 'postgres' },
      ]);
      expect(await client.browse.databases('shop_pg')).to.deep.equal(['app']);
      expect((await client.browse.tables('shop_mysql', my)).map((t) => t.name)).to.deep.equal(['customers', 'odd name', 'orders']);
      expect(await client.browse.sourceExists('shop_pg')).to.equal(true);
      expect(await client.browse.sourceExists('shop/pg')).to.equal(false);
      expect(await client.browse.databaseExists('shop_mysql', my)).to.equal(true);
      expect(await client.browse.databaseExists('nope', my)).to.equal(false);
      expect(await client.browse.tableExists('shop_mysql', my, 'odd name')).to.equal(true);
      expect(await client.browse.tableExists('shop_mysql', my, 'odd%20name')).to.equal(false);
      expect(await client.browse.volumeExists('invoices')).to.equal(true);
      expect(await client.browse.volumeExists('invoices/..')).to.equal(false);
      const e = await rejection(client.browse.databases('nope'));
      expect(isApiError(e, 'SOURCE_UNKNOWN')).to.equal(true);
      const dots = await rejection(client.browse.tables('shop_mysql', '..'));
      expect(dots).to.be.instanceOf(TypeError);
      expect((dots as Error).message).to.match(/cannot be sent as a URL path segment/);
    });

    it('reads rows as JSON and as an NDJSON stream, with filters holding spaces, quotes, % and +', async () => {
      const filter = "name LIKE 'Customer 1%' AND email <> 'a+b@x'";
      const json = await client.browse.rows('shop_mysql', my, 'customers', { filter, limit: 5 });
      expect(json.rows.map((r) => r['name'])).to.deep.equal(['Customer 1', 'Customer 10']);
      expect(json.columns.map((c) => c.name)).to.deep.equal(['id', 'name', 'email']);
      const streamed = await collect(client.browse.rowsStream('shop_mysql', my, 'customers', { filter, limit: 5 }));
      expect(streamed).to.deep.equal(json.rows);
      const odd = await collect(client.browse.rowsStream('shop_mysql', my, 'odd name', { filter: "`a b` = 'x y'" }));
      expect(odd).to.deep.equal([{ id: '1', 'a b': 'x y' }]);
      const pg = await client.browse.rows('shop_pg', 'app', 'events', { filter: 'order_id = 3', limit: 10 });
      expect(pg.rows.map((r) => r['order_id'])).to.deep.equal(['3', '3']);
    });

    it('throws the filter problem of a rows stream on its first iteration', async () => {
      const stream = client.browse.rowsStream('shop_mysql', my, 'orders', { filter: 'id IN (SELECT id FROM customers)' });
      const e = await rejection(collect(stream));
      expect(e).to.be.instanceOf(ApiError);
      expect((e as ApiError).code).to.equal('FILTER_REJECTED');
      expect((e as ApiError).status).to.equal(422);
      const limit = await rejection(client.browse.rows('shop_mysql', my, 'orders', { limit: 0 }));
      expect((limit as ApiError).errors.map((x) => x.field)).to.deep.equal(['query.limit']);
    });

    it('leaving a rows stream early closes the server session; a cut stream throws ApiStreamInterruptedError', async () => {
      const idle = await pgConnections();
      let seen = 0;
      for await (const row of client.browse.rowsStream('shop_pg', 'app', 'wide', { limit: 10_000 })) {
        expect(row['pad']).to.have.length(2000);
        if (++seen === 3) break;
      }
      const deadline = Date.now() + 5000;
      while ((await pgConnections()) !== idle && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await pgConnections()).to.equal(idle);

      const rows: PreviewRow[] = [];
      const failure = await rejection(
        (async () => {
          for await (const row of client.browse.rowsStream('shop_pg', 'app', 'wide', { limit: 10_000 })) {
            rows.push(row);
            if (rows.length === 1) {
              await p.fixture.pg.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [p.fixture.pg.name]);
            }
          }
        })(),
      );
      expect(failure).to.be.instanceOf(ApiStreamInterruptedError);
      expect((failure as ApiStreamInterruptedError).received).to.equal(rows.length);
      expect(rows.length).to.be.below(10_000);
      expect((failure as ApiStreamInterruptedError).requestId).to.be.a('string');
    });

    it('lists volumes and files, filters holding spaces and special characters sent as they are', async () => {
      expect(await client.browse.volumes()).to.deep.equal([{ name: 'invoices' }]);
      const docs: FileEntry[] = await collect(client.browse.files('invoices', ['path:docs 2024', 'sort:name']));
      expect(docs.map((e) => e.path)).to.deep.equal(['docs 2024/100%.txt', 'docs 2024/rechnung €1 #a?.txt']);
      expect(await collect(client.browse.files('invoices', ['name:rechnung €1 #a?.txt']))).to.have.length(1);
      expect((await collect(client.browse.files('invoices', ['name:invoice_4*.txt']))).map((e) => e.name).sort()).to.deep.equal(['invoice_4.txt', ...Array.from({ length: 10 }, (_, i) => `invoice_4${i}.txt`)].sort());
      const bad = await rejection(collect(client.browse.files('invoices', ['colour:red'])));
      expect(isApiError(bad, 'REQUEST_INVALID')).to.equal(true);
      expect((bad as ApiError).detail).to.contain('"colour:red"');
    });

    it('downloads a file and the best file with their headers; traversal is refused', async () => {
      const d = await client.browse.downloadFile('invoices', 'docs 2024/rechnung €1 #a?.txt');
      expect(await text(d.body)).to.equal('euro invoice');
      expect(d).to.deep.include({ path: 'docs 2024/rechnung €1 #a?.txt', fileName: 'rechnung €1 #a?.txt', contentLength: 12, contentType: 'application/octet-stream' });
      expect(d.lastModified).to.be.instanceOf(Date);
      const pct = await client.browse.downloadFile('invoices', 'docs 2024/100%.txt');
      expect(await text(pct.body)).to.equal('percent');
      const best = await client.browse.bestFile('invoices', ['path:docs 2024', 'sort:name:desc']);
      expect(best.path).to.equal('docs 2024/rechnung €1 #a?.txt');
      expect(await text(best.body)).to.equal('euro invoice');
      const oldest = await client.browse.bestFile('invoices', ['name:invoice_*.txt', 'sort:mtime:asc']);
      expect(oldest.path).to.equal('invoice_1.txt');
      await oldest.body.cancel();
      expect(await client.browse.fileExists('invoices', 'docs 2024/100%.txt')).to.equal(true);
      expect(await client.browse.fileExists('invoices', 'nope.txt')).to.equal(false);
      const head = await rejection(client.browse.fileExists('invoices', '../hfit.yaml'));
      expect((head as ApiError).status).to.equal(422);
      const escape = await rejection(client.browse.downloadFile('invoices', '../hfit.yaml'));
      expect(isApiError(escape, 'PATH_ESCAPE')).to.equal(true);
      const missing = await rejection(client.browse.bestFile('invoices', ['name:*.pdf']));
      expect(isApiError(missing, 'FILE_NOT_FOUND')).to.equal(true);
    });
  });

  describe('templates', () => {
    it('creates, reads, lists, updates, patches and deletes a template', async () => {
      const name = `c-${randomUUID().slice(0, 8)}`;
      const created = await client.templates.create(templateText(name));
      expect(created).to.deep.include({ name, text: templateText(name) });
      expect(await client.templates.get(name)).to.deep.equal(created);
      expect(await client.templates.getYaml(name)).to.equal(templateText(name));
      expect((await client.templates.list()).map((t) => t.name)).to.include(name);
      const updated = await client.templates.update(name, templateText(name, 'v2'));
      expect(updated.text).to.equal(templateText(name, 'v2'));
      const patched = await client.templates.patch(name, { projectName: 'v3', packageName: 'p_$1' });
      expect(patched.diff.map((d) => `${d.op} ${d.key}`)).to.deep.equal(['changed projectName', 'added packageName']);
      expect(patched.text).to.contain('# client test');
      const taken = await rejection(client.templates.create(templateText(name)));
      expect(isApiError(taken, 'TEMPLATE_EXISTS')).to.equal(true);
      await client.templates.delete(name);
      expect(isApiError(await rejection(client.templates.get(name)), 'TEMPLATE_NOT_FOUND')).to.equal(true);
      expect(isApiError(await rejection(client.templates.delete(name)), 'TEMPLATE_NOT_FOUND')).to.equal(true);
    });

    it('uploads an archive from bytes and from a stream, with overwrite', async () => {
      const a = `u-${randomUUID().slice(0, 8)}`;
      const first = await client.templates.upload(buildTarGz([{ name: 'a.yaml', content: templateText(a) }, { name: 'notes.txt', content: 'x' }]));
      expect(first.counts).to.deep.equal({ created: 1, updated: 0, unchanged: 0, skipped: 1, error: 0 });
      const changed = buildTarGz([{ name: 'a.yaml', content: templateText(a, 'changed') }]);
      const refused = await client.templates.upload(Readable.from([changed.subarray(0, 10), changed.subarray(10)]));
      expect(refused.files[0]).to.deep.include({ status: 'error', name: a });
      const replaced = await client.templates.upload(Readable.from([changed]), { overwrite: true });
      expect(replaced.files.map((f) => f.status)).to.deep.equal(['updated']);
      expect((await client.templates.get(a)).text).to.equal(templateText(a, 'changed'));
      const invalid = await rejection(client.templates.upload(new TextEncoder().encode('not a tar.gz')));
      expect(isApiError(invalid, 'UPLOAD_INVALID')).to.equal(true);
    });

    it('a stored template is built by name through client.builds.submit', async () => {
      await client.templates.create(p.fixture.template);
      const { build, created } = await client.builds.submit({ templateName: 'order_incident', args: ['5'] });
      expect(created).to.equal(true);
      expect((await client.builds.get(build.id)).templateName).to.equal('order_incident');
    });
  });
});
