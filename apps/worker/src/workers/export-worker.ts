import { QUEUE_NAMES } from '@hfit/contracts';
import type { BuildRunner, ExportJobData, ExportJobResult } from '@hfit/builds';
import { createWorker, type CreateWorkerOptions } from '@hfit/queue';
import type { Worker } from 'bullmq';

/** The worker of the export (child) queue. */
export function createExportWorker(runner: BuildRunner, options: CreateWorkerOptions): Worker<ExportJobData, ExportJobResult> {
  return createWorker<ExportJobData, ExportJobResult>(QUEUE_NAMES.export, (job, _token, signal) => runner.runExport(job, signal), options);
}
