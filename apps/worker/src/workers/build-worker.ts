import { QUEUE_NAMES } from '@hfit/contracts';
import type { BuildJobData, BuildJobResult, BuildRunner } from '@hfit/builds';
import { createWorker, type CreateWorkerOptions } from '@hfit/queue';
import type { Worker } from 'bullmq';

/** The worker of the build (parent) queue. */
export function createBuildWorker(runner: BuildRunner, options: CreateWorkerOptions): Worker<BuildJobData, BuildJobResult> {
  return createWorker<BuildJobData, BuildJobResult>(QUEUE_NAMES.build, (job, token, signal) => runner.runBuild(job, token, signal), options);
}
