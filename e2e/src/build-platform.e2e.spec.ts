import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createApp, startHttpServer, type RunningHttpServer } from '@hfit/api';
import { CollectingAuditSink, UNLIMITED_RATE_LIMITS } from '@hfit/api/testing';
import { ApiError, createApiClient, waitForBuild, type ApiClient } from '@hfit/api-client';
import { createPlatformFixture, type PlatformFixture } from '@hfit/builds/testing';
import { QUEUE_NAMES, type ArchiveFormat, type BuildConsistency, type BuildView } from '@hfit/contracts';
import { createLogger } from '@hfit/logger';
import { closeAll } from '@hfit/queue';
import { sha256File, unpackArtifact, WorkerProcess } from '@hfit/worker/testing';
import { Queue } from 'bullmq';
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';

const quiet = createLogger({ name: 'e2e', level: 'silent' });

describe('end to end: the API and two worker processes on real Redis, MariaDB and PostgreSQL', function () {
  this.timeout(180_000);
  let fx: PlatformFixture;
  let http: RunningHttpServer;
  let workers: WorkerProcess[] = [];
  let client: ApiClient;

  before(async () => {
    fx = await createPlatformFixture({ orders: 3000, worker: { exportConcurrency: 2, concurrency: 2 } });
    const app = createApp({ config: fx.config, logger: quiet, builds: fx.service, readiness: {}, audit: new CollectingAuditSink(), rateLimits: UNLIMITED_RATE_LIMITS });
    http = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
    workers = await Promise.all(['w1', 'w2'].map((label) => WorkerProcess.start(label, { configPath: fx.configPath })));
    client = createApiClient({ baseUrl: http.url, token: fx.config.auth.tokens[0]!.token });
  });

  after(async () => {
    await Promise.all(workers.map((w) => w.dispose()));
    if (http) await closeAll([http.closable], { timeoutMs: 5_000 });
    await fx?.dispose();
  });

  it('runs builds submitted at once across both workers; every artifact unpacks to the expected files, rows and sha256s', async () => {
    const cases: { order: string; format: ArchiveFormat; consistency: BuildConsistency }[] = [
      { order: '3', format: 'tar.gz', consistency: 'source' },
      { order: '4', format: 'zip', consistency: 'export' },
      { order: '5', format: 'tar.gz', consistency: 'export' },
      { order: '6', format: 'zip', consistency: 'source' },
      { order: '7', format: 'tar.gz', consistency: 'export' },
      { order: '8', format: 'tar.gz', consistency: 'source' },
    ];
    const submitted = await Promise.all(
      cases.map((c) => client.builds.submit({ template: fx.template, args: [c.order], options: { format: c.format, consistency: c.consistency } })),
    );
    expect(submitted.every((s) => s.created && s.build.state === 'queued')).to.equal(true);
    const done: BuildView[] = await Promise.all(submitted.map((s) => waitForBuild(client, s.build.id, { intervalMs: 100, timeoutMs: 120_000 })));
    for (const d of done) expect(d.state, `${d.id}: ${JSON.stringify(d.error)}`).to.equal('succeeded');

    for (const [i, c] of cases.entries()) {
      const view = done[i]!;
      const pkg = `order_${c.order}`;
      expect(view.packageName).to.equal(pkg);
      expect(view.artifact).to.include({ name: `${pkg}.${c.format}`, format: c.format });
      const download = await client.builds.downloadArtifact(view.id);
      expect(download.sha256).to.equal(view.artifact!.sha256);
      const un = await unpackArtifact(Readable.fromWeb(download.body as WebReadableStream<Uint8Array>), c.format, pkg, fx.dir);
      expect(un.sha256, `archive of ${pkg}`).to.equal(view.artifact!.sha256);
      expect(un.entries.every((e) => e.startsWith(`${pkg}/`))).to.equal(true);
      for (const f of un.manifest.files) expect(await sha256File(path.join(un.dir, pkg, f.path)), `${pkg}/${f.path}`).to.equal(f.sha256);
      // Rows per table match the source databases.
      const [{ customer_id: customer }] = (await fx.my.query<{ customer_id: number }>('SELECT customer_id FROM orders WHERE id = ?', [Number(c.order)])) as [
        { customer_id: number },
      ];
      const [{ n: orders }] = (await fx.my.query<{ n: number }>('SELECT COUNT(*) AS n FROM orders WHERE customer_id = ?', [customer])) as [{ n: number }];
      const [{ n: events }] = (await fx.pg.query<{ n: string }>('SELECT COUNT(*) AS n FROM app.events WHERE order_id = $1', [Number(c.order)])) as [{ n: string }];
      const rows = Object.fromEntries(un.manifest.files.filter((f) => f.rows !== undefined).map((f) => [f.path, f.rows]));
      expect(rows).to.deep.equal({ 'customers.data.sql': 1, 'orders.data.sql': Number(orders), 'events.data.sql': Number(events) });
      expect(view.progress.rows).to.equal(1 + Number(orders) + Number(events));
      expect(await readFile(path.join(un.dir, pkg, 'invoice.txt'), 'utf8')).to.equal(`Invoice for order ${c.order}\n`);
      expect(un.manifest.files.filter((f) => f.type === 'files').map((f) => f.path)).to.deep.equal([`attachments/att_${c.order}_1.txt`, `attachments/att_${c.order}_2.txt`]);
    }

    // The work spread over both processes.
    const exportQueue = new Queue(QUEUE_NAMES.export, { connection: fx.redis, prefix: fx.prefix });
    const buildQueue = new Queue(QUEUE_NAMES.build, { connection: fx.redis, prefix: fx.prefix });
    try {
      const holders = new Set<string>();
      for (const view of done) {
        const parent = await buildQueue.getJob(view.id);
        if (parent?.processedBy) holders.add(parent.processedBy);
        for (let g = 0; g < 7; g++) {
          const child = await exportQueue.getJob(`${view.id}.${g}`);
          if (child?.processedBy) holders.add(child.processedBy);
        }
      }
      expect([...holders].sort()).to.deep.equal(workers.map((w) => w.name).sort());
    } finally {
      await Promise.all([exportQueue.close(), buildQueue.close()]);
    }
    // Same template, same data: the same bytes, whichever workers built it and however it fanned out.
    const again = await client.builds.submit({ template: fx.template, args: ['4'], options: { format: 'zip', consistency: 'source' } });
    const second = await waitForBuild(client, again.build.id, { intervalMs: 100, timeoutMs: 60_000 });
    expect(second.artifact!.sha256).to.equal(done[1]!.artifact!.sha256);
    expect((await client.builds.latest('order_4')).id).to.equal(second.id);
  });

  it('answers a bad template with a 422 problem listing every problem, and queues nothing', async () => {
    const total = async () => Object.values(await fx.buildQueue.getJobCounts()).reduce((a, b) => a + b, 0);
    const before = await total();
    const bad = fx.template.replace(`table: ${fx.my.name}.orders`, `table: ${fx.my.name}.ordrs`).replace('volume: invoices, path', 'volume: scans, path');
    const err = await client.builds.submit({ template: bad, args: ['3'] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ApiError);
    const problem = (err as ApiError).problem;
    expect(problem.status).to.equal(422);
    expect(problem.code).to.equal('TEMPLATE_INVALID');
    expect(problem.errors?.map((e) => e.field).sort()).to.deep.equal(['exports.invoice.txt.data.volume', 'exports.orders.data.sql.data.table']);
    expect(await total()).to.equal(before);
    // The same checks without a submit: what `hfit pkg validate --remote` calls.
    const checked = await client.builds.validate({ template: bad, args: ['3'] }).then(
      () => undefined,
      (e: unknown) => e as ApiError,
    );
    expect(checked?.problem.errors?.length).to.equal(2);
    expect((await client.builds.validate({ template: fx.template, args: ['3'] })).inputs).to.deep.equal(['3']);
    expect(await total()).to.equal(before);
  });
});
