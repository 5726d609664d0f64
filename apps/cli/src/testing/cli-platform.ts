import { startPlatformApp, type PlatformApp } from '@hfit/api/testing';
import type { PlatformFixture } from '@hfit/builds/testing';
import { createLogger } from '@hfit/logger';
import { startWorker, type StartedWorker } from '@hfit/worker';

/** The API and a worker in-process on the real services, for command tests. */
export interface CliPlatform {
  /** The API's base URL. */
  readonly url: string;
  /** Tokens by user: `alice`, `ci-bot`. */
  readonly tokens: Readonly<Record<string, string>>;
  readonly fixture: PlatformFixture;
  readonly app: PlatformApp;
  /** Environment for a command run as alice: `HFIT_SERVER`, `HFIT_TOKEN`. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

/** Options of {@link startCliPlatform}. */
export interface CliPlatformOptions {
  /** Start a worker (default true); without one, builds stay queued. */
  readonly worker?: boolean;
}

/**
 * Starts `startPlatformApp` (scratch MariaDB and PostgreSQL databases, a volume, fs storage, a
 * unique Redis prefix, the API with browse and template routes) and one worker on its config.
 */
export async function startCliPlatform(options: CliPlatformOptions = {}): Promise<CliPlatform> {
  const app = await startPlatformApp({ fixture: { worker: { concurrency: 2, exportConcurrency: 4 } } });
  let started: StartedWorker | undefined;
  try {
    if (options.worker !== false) started = await startWorker(app.fixture.config, createLogger({ name: 'cli-test-worker', level: 'silent' }), { name: 'cli-test', maintenance: false });
  } catch (err) {
    await app.close();
    throw err;
  }
  return {
    url: app.app.url,
    tokens: app.tokens,
    fixture: app.fixture,
    app,
    env: { HFIT_SERVER: app.app.url, HFIT_TOKEN: app.tokens['alice']! },
    async close() {
      try {
        await started?.close(5_000);
      } finally {
        await app.close();
      }
    },
  };
}
