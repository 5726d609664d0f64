import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { QUEUE_NAMES } from '@hfit/contracts';
import { createLogger } from '@hfit/logger';
import { Queue } from 'bullmq';
import { expect } from 'chai';
import { BuildRunner } from './build-runner.js';
import { CancelWatcher } from './cancel-watcher.js';
import { createPlatformFixture, type PlatformFixture } from './testing/platform-fixture.js';

describe('BuildRunner.removeOrphanWorkDirs', () => {
  let fx: PlatformFixture;
  let tmp: string;

  beforeEach(async () => {
    fx = await createPlatformFixture({ orders: 1 });
    tmp = await mkdtemp(path.join(tmpdir(), 'hfit-runner-'));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
    await fx?.dispose();
  });

  it('removes the assembly folders of processes that no longer run, and only those', async () => {
    const subscriber = fx.redis.duplicate();
    const exportQueue = new Queue(QUEUE_NAMES.export, { connection: fx.redis, prefix: fx.prefix });
    try {
      const runner = new BuildRunner({
        store: fx.store,
        objects: fx.objects,
        engine: { sources: fx.config.sources, volumes: fx.config.volumes, batchSize: 100 },
        exportQueue,
        cancels: new CancelWatcher(subscriber, fx.store.cancelChannel),
        logger: createLogger({ name: 'test', level: 'silent' }),
        policies: fx.policies,
        tmpDir: tmp,
      });
      const base = path.join(tmp, 'hfit-assembly');
      // pid 1 always runs; 4194305 is above Linux's pid_max, so no process has it.
      for (const name of [`${process.pid}-a-x`, '1-b-x', '4194305-c-x', 'not-a-pid']) await mkdir(path.join(base, name, 'files'), { recursive: true });
      expect(await runner.removeOrphanWorkDirs()).to.equal(1);
      expect((await readdir(base)).sort()).to.deep.equal([`${process.pid}-a-x`, '1-b-x', 'not-a-pid'].sort());
    } finally {
      await exportQueue.close();
      subscriber.disconnect();
    }
  });
});
