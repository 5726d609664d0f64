import path from 'node:path';
import { BuildStore, createBuildService, objectStoreOf, type BuildJobData, type BuildJobResult } from '@hfit/builds';
import { policyOf } from '@hfit/access';
import { ADMIN_ROLE, QUEUE_NAMES, type BuildView } from '@hfit/contracts';
import { createLogger } from '@hfit/logger';
import { closeAll, createQueue, createRedisConnection, queueClosable, redisClosable, waitForRedisReady, type Closable } from '@hfit/queue';
import { deleteKeysWithPrefix } from '@hfit/queue/testing';
import { engineConfigOf, startWorker } from '@hfit/worker';
import { benchServerConfig, benchTemplate } from './bench-build.js';
import { peakRssMB } from './measure.js';

/** What {@link main} prints. */
export interface PlatformChildResult {
  /** Wall time from `submit` to the poll that saw `succeeded` (the archive is published by then). */
  readonly ms: number;
  /** The same from the build record: createdAt to finishedAt (ms resolution, no polling delay). */
  readonly recordMs: number;
  /** createdAt to startedAt: until a worker took the build job. */
  readonly queuedMs: number;
  /** Each export job's own time (extraction into staging), from the build's progress. */
  readonly exportMs: Record<string, number>;
  readonly rows: Record<string, number>;
  /** Uncompressed bytes of the exports, and the published archive's size. */
  readonly bytes: number;
  readonly artifactBytes: number;
  readonly maxRssMB: number;
}

/** How often the build is polled (what bounds `ms`'s resolution). */
const POLL_MS = 20;
const TIMEOUT_MS = 30 * 60_000;

/** Who submits the bench build: an admin, so no grant gets in the way of what is measured. */
const BENCH_POLICY = policyOf('bench', [ADMIN_ROLE], [], {});

/**
 * The bench template through the whole build platform in one fresh process: the API-side build
 * service (`createBuildService`) and a worker (`startWorker`, maintenance off) on the local Redis
 * under `prefix`, with an fs object store. Submits one build, polls until it ends, and prints the
 * timings; everything under `prefix` is deleted afterwards, whatever happened.
 * argv: rows workDir prefix batchSize. Put TMPDIR under workDir: the worker assembles archives there.
 */
async function main(): Promise<void> {
  const [rowsArg, workDir, prefix, batchArg] = process.argv.slice(2) as [string, string, string, string];
  const rows = Number(rowsArg);
  const config = benchServerConfig(Number(batchArg), { storageRoot: path.join(workDir, 'storage'), prefix });
  const logger = createLogger({ name: 'bench-platform', level: 'warn', destination: process.stderr });
  const redis = createRedisConnection({ url: config.redis.url, role: 'queue', connectionName: 'hfit-bench' });
  const closables: Closable[] = [];
  try {
    await waitForRedisReady(redis);
    const w = config.worker;
    const buildQueue = createQueue<BuildJobData, BuildJobResult>(QUEUE_NAMES.build, {
      connection: redis,
      prefix,
      jobOptions: { attempts: w.attempts, backoff: { type: 'exponential', delay: w.backoffMs } },
    });
    closables.push(queueClosable(buildQueue, 'build queue'));
    const service = createBuildService({ store: new BuildStore(redis, prefix), objects: objectStoreOf(config), engine: engineConfigOf(config), buildQueue });
    // The bench user is in no config: the worker gets its policy (every action) from here.
    const worker = await startWorker(config, logger, { name: 'bench', maintenance: false, policies: { policyFor: async (user) => (user === 'bench' ? BENCH_POLICY : undefined) } });
    // Closed before the queue and connection above (closeAll runs in order).
    closables.unshift({
      name: 'worker',
      close: async () => {
        const r = await worker.close(10_000);
        if (!r.ok) throw new Error(r.problems.join('; '));
      },
    });

    const caller = { user: 'bench', policy: BENCH_POLICY };
    const t0 = performance.now();
    const { view: submitted } = await service.submit(caller, {
      template: benchTemplate(rows),
      args: [],
      namedArgs: {},
      options: { format: 'tar.gz', consistency: 'source' },
    });
    let view: BuildView = submitted;
    while (view.state !== 'succeeded' && view.state !== 'failed' && view.state !== 'cancelled') {
      if (performance.now() - t0 > TIMEOUT_MS) throw new Error(`build ${view.id} still ${view.state} after ${TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, POLL_MS));
      view = await service.get(caller, view.id);
    }
    const ms = performance.now() - t0;
    if (view.state !== 'succeeded' || !view.artifact) throw new Error(`build ${view.id} ${view.state}: ${JSON.stringify(view.error)}`);
    const exports = view.progress.exports;
    const result: PlatformChildResult = {
      ms,
      recordMs: Date.parse(view.finishedAt!) - Date.parse(view.createdAt),
      queuedMs: Date.parse(view.startedAt!) - Date.parse(view.createdAt),
      exportMs: Object.fromEntries(exports.map((e) => [e.name, e.durationMs ?? 0])),
      rows: Object.fromEntries(exports.map((e) => [e.name, e.rows])),
      bytes: view.progress.bytes,
      artifactBytes: view.artifact.size,
      maxRssMB: peakRssMB(),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    const report = await closeAll(closables, { timeoutMs: 15_000 });
    await deleteKeysWithPrefix(redis, prefix).catch((err: unknown) => console.error(`redis keys under ${prefix}: not deleted`, err));
    await closeAll([redisClosable(redis, 'redis')], { timeoutMs: 5_000 });
    if (!report.ok) console.error(`platform shutdown: ${report.problems.join('; ')}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
