import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createApp, startHttpServer, type RunningHttpServer } from '@hfit/api';
import { UNLIMITED_RATE_LIMITS } from '@hfit/api/testing';
import { createAuditLog, verifyAuditFile, type AuditLog } from '@hfit/audit';
import { ApiError, createApiClient, waitForBuild, type ApiClient } from '@hfit/api-client';
import { createPlatformFixture, type PlatformFixture } from '@hfit/builds/testing';
import { QUEUE_NAMES, type ArchiveFormat, type AuditEvent, type BuildConsistency, type BuildView } from '@hfit/contracts';
import { createLogger } from '@hfit/logger';
import { closeAll } from '@hfit/queue';
import { sha256File, unpackArtifact, WorkerProcess } from '@hfit/worker/testing';
import { Queue } from 'bullmq';
import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';

const quiet = createLogger({ name: 'e2e', level: 'silent' });

/** Every event of the audit stream, oldest first. */
async function auditEvents(audit: AuditLog): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await audit.query({ limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
    events.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return events;
}

/** Retries `check` until it passes (events are recorded as requests and jobs end), or throws its last error. */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('end to end: the API and two worker processes on real Redis, MariaDB and PostgreSQL', function () {
  this.timeout(180_000);
  let fx: PlatformFixture;
  let http: RunningHttpServer;
  let workers: WorkerProcess[] = [];
  let client: ApiClient;
  let audit: AuditLog;

  before(async () => {
    fx = await createPlatformFixture({ orders: 3000, worker: { exportConcurrency: 2, concurrency: 2 } });
    // The real audit trail, as main.ts wires it: the workers (same config) write to the same files and stream.
    audit = createAuditLog(fx.config.audit, fx.redis, fx.prefix, quiet);
    const app = createApp({ config: fx.config, logger: quiet, builds: fx.service, readiness: {}, audit, rateLimits: UNLIMITED_RATE_LIMITS });
    http = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
    workers = await Promise.all(['w1', 'w2'].map((label) => WorkerProcess.start(label, { configPath: fx.configPath })));
    client = createApiClient({ baseUrl: http.url, token: fx.config.auth.tokens[0]!.token });
  });

  after(async () => {
    await Promise.all(workers.map((w) => w.dispose()));
    if (http) await closeAll([http.closable], { timeoutMs: 5_000 });
    await audit?.close();
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

    // The audit trail covers every build and every download: the API records submits and
    // downloads, the worker processes record finishes, all on one file per host and one stream.
    const builds = [...submitted.map((s) => s.build.id), again.build.id];
    const events = await eventually(async () => {
      const all = await auditEvents(audit);
      // Each submit was recorded before it was queued, then with its build.
      expect(all.filter((e) => e.action === 'build.submit' && e.outcome === 'started')).to.have.length(builds.length);
      for (const id of builds) {
        expect(all.filter((e) => e.action === 'build.submit' && e.buildId === id).map((e) => [e.outcome, e.owner]), `build.submit of ${id}`).to.deep.equal([['success', 'alice']]);
        const finishes = all.filter((e) => e.action === 'build.finish' && e.buildId === id);
        expect(finishes.length, `build.finish of ${id}`).to.be.at.least(1);
        expect(finishes.every((e) => e.outcome === 'success' && e.sha256 === (id === second.id ? second : done.find((d) => d.id === id)!).artifact!.sha256)).to.equal(true);
      }
      for (const view of done) {
        // Recorded before the first byte (started) and after the last (success).
        const downloads = all.filter((e) => e.action === 'build.download' && e.buildId === view.id);
        expect(downloads.map((e) => [e.outcome, e.sha256, e.actor]), `build.download of ${view.id}`).to.deep.equal([
          ['started', view.artifact!.sha256, 'alice'],
          ['success', view.artifact!.sha256, 'alice'],
        ]);
      }
      return all;
    });
    const files = (await readdir(fx.config.audit.dir)).filter((f) => f.endsWith('.jsonl'));
    expect(files.length).to.be.at.least(1);
    const onDisk = new Set<string>();
    for (const f of files) {
      const check = await verifyAuditFile(path.join(fx.config.audit.dir, f));
      expect(check.problems, f).to.deep.equal([]);
      expect(check.writers, `writers of ${f}`).to.be.at.least(2);
      for (const line of (await readFile(path.join(fx.config.audit.dir, f), 'utf8')).split('\n')) if (line !== '') onDisk.add((JSON.parse(line) as { event: AuditEvent }).event.id);
    }
    expect(events.every((e) => onDisk.has(e.id)), 'every streamed event is on disk').to.equal(true);
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
