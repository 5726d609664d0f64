import { loadServerConfig } from '@hfit/config';
import { isHfitError } from '@hfit/contracts';
import { createLogger } from '@hfit/logger';
import { startWorker } from './start-worker.js';

// hfit worker process: `node apps/worker/dist/main.js` with HFIT_CONFIG pointing at the server config.
const logger = createLogger({ name: 'hfit-worker' });
try {
  const config = loadServerConfig({ checkVolumeRoots: true });
  const worker = await startWorker(config, logger);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: no new jobs; running jobs get worker.shutdownTimeoutMs to finish');
    void worker.close().then((report) => {
      if (!report.ok) logger.warn({ problems: report.problems }, 'shutdown incomplete: unfinished jobs go back to the queue when their lock expires');
      process.exit(report.ok ? 0 : 1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (err) {
  logger.fatal({ err }, 'worker did not start');
  console.error(`hfit-worker: ${isHfitError(err) ? err.message : err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
