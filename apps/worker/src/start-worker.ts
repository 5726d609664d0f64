import { hostname } from 'node:os';
import { createAuditLog } from '@hfit/audit';
import { BuildRunner, BuildStore, CancelWatcher, objectStoreOf, type ExportJobData, type ExportJobResult } from '@hfit/builds';
import type { LoadedServerConfig } from '@hfit/config';
import { createSecurity } from '@hfit/auth';
import { QUEUE_NAMES, type AuditSink, type PolicyResolver } from '@hfit/contracts';
import type { Logger } from '@hfit/logger';
import {
  checkRedisPolicy,
  closeAll,
  createQueue,
  createRedisConnection,
  queueClosable,
  redisClosable,
  waitForRedisReady,
  workerClosable,
  type CloseReport,
  type Closable,
} from '@hfit/queue';
import type { ObjectStore } from '@hfit/storage';
import type { Worker } from 'bullmq';
import { engineConfigOf } from './engine-config.js';
import { createBuildWorker } from './workers/build-worker.js';
import { createExportWorker } from './workers/export-worker.js';
import { createMaintenanceWorker, runMaintenance } from './workers/maintenance-worker.js';

/** A running worker process's workers and connections. */
export interface StartedWorker {
  /** `host:pid` (or the given name): stored on every job it takes (`job.processedBy`). */
  readonly name: string;
  readonly objects: ObjectStore;
  /** Stops taking jobs, lets running ones finish within `timeoutMs`, then releases them and disconnects. */
  close(timeoutMs?: number): Promise<CloseReport>;
}

/** Options of {@link startWorker}. */
export interface StartWorkerOptions {
  readonly name?: string;
  /** Run the periodic maintenance (and a catalogue rebuild at start). Default true. */
  readonly maintenance?: boolean;
  /** Build owners' current access, asked again at run time of every job. Default: from the config and security store. */
  readonly policies?: PolicyResolver;
  /** Where `build.finish` audit events go. Default: the audit log of `config.audit`. */
  readonly audit?: AuditSink;
}

/**
 * Starts the workers of one process: builds (`worker.concurrency`), exports
 * (`worker.exportConcurrency`) and maintenance, with the lock and stall settings of the config.
 * Fails fast when Redis is unreachable or evicts keys.
 */
export async function startWorker(config: LoadedServerConfig, logger: Logger, options: StartWorkerOptions = {}): Promise<StartedWorker> {
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const { url, prefix } = config.redis;
  const onError = (error: Error) => logger.warn({ err: error }, 'redis/queue error');
  const queueConnection = createRedisConnection({ url, role: 'queue', connectionName: `hfit-worker-queue:${name}`, onError });
  const workerConnection = createRedisConnection({ url, role: 'worker', connectionName: `hfit-worker:${name}`, onError });
  const subscriber = createRedisConnection({ url, role: 'worker', connectionName: `hfit-worker-cancel:${name}`, onError });
  const closables: Closable[] = [];
  try {
    await waitForRedisReady(queueConnection);
    await checkRedisPolicy(queueConnection);
    const objects = objectStoreOf(config);
    // The owners' access as the API sees it (config roles, security store users, CI tokens), read
    // again at run time of every job; and the audit trail of config.audit.
    const policies = options.policies ?? createSecurity({ config, redis: queueConnection, objects, logger }).policies;
    const audit = options.audit ?? createAuditLog(config.audit, queueConnection, prefix, logger);
    const store = new BuildStore(queueConnection, prefix);
    const cancels = new CancelWatcher(subscriber, store.cancelChannel);
    await cancels.start();
    const w = config.worker;
    const jobOptions = { attempts: w.attempts, backoff: { type: 'exponential', delay: w.backoffMs } } as const;
    const exportQueue = createQueue<ExportJobData, ExportJobResult>(QUEUE_NAMES.export, { connection: queueConnection, prefix, jobOptions, onError });
    const runner = new BuildRunner({ store, objects, engine: engineConfigOf(config), exportQueue, cancels, logger: logger.child({ worker: name }), policies, audit });
    const orphans = await runner.removeOrphanWorkDirs();
    if (orphans > 0) logger.info({ removed: orphans }, 'removed archive folders left by killed workers');
    const settings = { connection: workerConnection, prefix, workerName: name, lockDuration: w.lockDurationMs, stalledInterval: w.stalledIntervalMs, maxStalledCount: w.maxStalledCount, onError };
    const buildWorker = createBuildWorker(runner, { ...settings, concurrency: w.concurrency });
    const exportWorker = createExportWorker(runner, { ...settings, concurrency: w.exportConcurrency });
    const workers: Pick<Worker, 'close'>[] = [buildWorker, exportWorker];
    closables.push(workerClosable(buildWorker), workerClosable(exportWorker));
    if (options.maintenance !== false) {
      const maintenanceQueue = createQueue(QUEUE_NAMES.maintenance, { connection: queueConnection, prefix, onError });
      await maintenanceQueue.upsertJobScheduler('maintenance', { every: w.maintenanceIntervalMs }, { name: 'maintenance' });
      const maintenanceWorker = createMaintenanceWorker(config, store, objects, logger, { ...settings, concurrency: 1 });
      workers.push(maintenanceWorker);
      closables.push(workerClosable(maintenanceWorker), queueClosable(maintenanceQueue, 'maintenance queue'));
      // A catalogue rebuild at start: after a Redis loss the packages are listed again at once.
      void runMaintenance(config, store, objects, logger).catch((err: unknown) => logger.warn({ err }, 'maintenance at start failed'));
    }
    closables.push(queueClosable(exportQueue, 'export queue'), { name: 'cancel watcher', close: () => cancels.stop() });
    closables.push(redisClosable(subscriber, 'cancel subscriber'), redisClosable(workerConnection, 'worker connection'), redisClosable(queueConnection, 'queue connection'));
    logger.info({ worker: name, concurrency: w.concurrency, exportConcurrency: w.exportConcurrency }, 'worker started');
    return {
      name,
      objects,
      close: (timeoutMs = w.shutdownTimeoutMs) => {
        // Every worker stops taking jobs now. closeAll then waits for each in turn (close() returns
        // the pending close); otherwise a worker waiting for its turn keeps taking new jobs while an
        // earlier one finishes a long job, and those are cut off at the timeout.
        for (const worker of workers) void worker.close().catch(() => undefined);
        return closeAll(closables, { timeoutMs });
      },
    };
  } catch (err) {
    await closeAll([...closables, redisClosable(subscriber, 'cancel subscriber'), redisClosable(workerConnection, 'worker'), redisClosable(queueConnection, 'queue')], { timeoutMs: 2_000 });
    throw err;
  }
}

