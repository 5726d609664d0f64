// Child process for the stalled-job test: runs a worker whose processor reports that it started
// and then never finishes, so the parent can SIGKILL this process mid-job.
import { createRedisConnection } from '../create-redis-connection.js';
import { createWorker } from '../create-worker.js';

interface Args {
  url: string;
  prefix: string;
  queue: string;
  lockDuration: number;
  stalledInterval: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const connection = createRedisConnection({ url: args.url, role: 'worker' });
createWorker(
  args.queue,
  async (job) => {
    process.send?.({ type: 'started', jobId: job.id });
    await new Promise<never>(() => undefined);
  },
  { connection, prefix: args.prefix, lockDuration: args.lockDuration, stalledInterval: args.stalledInterval, workerName: 'doomed' },
);
process.send?.({ type: 'ready' });
