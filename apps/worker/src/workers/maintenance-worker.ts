import { applyRetention, cleanupStaging, rebuildCatalogue, type BuildStore } from '@hfit/builds';
import type { LoadedServerConfig } from '@hfit/config';
import { QUEUE_NAMES } from '@hfit/contracts';
import type { Logger } from '@hfit/logger';
import { createWorker, type CreateWorkerOptions } from '@hfit/queue';
import type { ObjectStore } from '@hfit/storage';
import type { Worker } from 'bullmq';

/** What one maintenance run did. */
export interface MaintenanceReport {
  /** Builds restored from storage, and each user's count of queued and running builds recounted. */
  readonly catalogue: Awaited<ReturnType<typeof rebuildCatalogue>>;
  readonly retention: { removed: string[] };
  readonly staging: { builds: number; objects: number; uploads: number };
}

/** One maintenance run: catalogue rebuild, retention, staging cleanup. */
export async function runMaintenance(config: LoadedServerConfig, store: BuildStore, objects: ObjectStore, logger: Logger): Promise<MaintenanceReport> {
  const catalogue = await rebuildCatalogue(store, objects, logger);
  const retention = await applyRetention(store, objects, config.storage.retention);
  const staging = await cleanupStaging(store, objects, config.worker.stagingMaxAgeMs);
  logger.info({ catalogue, retention: { removed: retention.removed.length }, staging }, 'maintenance done');
  return { catalogue, retention, staging };
}

/** The worker of the maintenance queue (one job scheduler fires it every `maintenanceIntervalMs`). */
export function createMaintenanceWorker(
  config: LoadedServerConfig,
  store: BuildStore,
  objects: ObjectStore,
  logger: Logger,
  options: CreateWorkerOptions,
): Worker<unknown, MaintenanceReport> {
  return createWorker<unknown, MaintenanceReport>(QUEUE_NAMES.maintenance, () => runMaintenance(config, store, objects, logger), options);
}
