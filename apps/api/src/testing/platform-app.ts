import { createBuildService, type BuildService } from '@hfit/builds';
import { createPlatformFixture, type PlatformFixture, type PlatformFixtureOptions } from '@hfit/builds/testing';
import type { LoadedServerConfig } from '@hfit/config';
import { TemplateStore } from '@hfit/template-store';
import { browseRoutes } from '../routes/browse-routes.js';
import { templateRoutes } from '../routes/template-routes.js';
import { startTestApp, type TestApp } from './start-test-app.js';

/** Options of {@link startPlatformApp}. */
export interface PlatformAppOptions {
  /** Options of the platform fixture (row counts, worker settings). */
  readonly fixture?: PlatformFixtureOptions;
  /** Changes the fixture's config before the app starts (smaller limits for 413 tests). */
  readonly config?: (config: LoadedServerConfig) => LoadedServerConfig;
}

/** The API in-process on a real build platform, with browse and template routes wired as `main.ts` wires them. */
export interface PlatformApp {
  readonly fixture: PlatformFixture;
  /** The fixture's tokens by user: `alice`, `ci-bot`. */
  readonly tokens: Readonly<Record<string, string>>;
  /** Templates on the fixture's object store, prefix `templates`. */
  readonly templates: TemplateStore;
  /** A real build service reading stored templates. */
  readonly builds: BuildService;
  /** The app; `fetch` sends alice's token unless told otherwise. */
  readonly app: TestApp<BuildService>;
  close(): Promise<void>;
}

/**
 * Starts a platform fixture (scratch MariaDB and PostgreSQL databases, an invoice volume, fs
 * storage, a unique Redis prefix) and the API on it: a build service with stored templates, and the
 * browse and template routes. `close()` stops the app and removes the fixture.
 */
export async function startPlatformApp(options: PlatformAppOptions = {}): Promise<PlatformApp> {
  const fixture = await createPlatformFixture(options.fixture);
  try {
    const config = options.config?.(fixture.config) ?? fixture.config;
    const templates = new TemplateStore({ store: fixture.objects, prefix: 'templates' });
    const builds = createBuildService({
      store: fixture.store,
      objects: fixture.objects,
      engine: { sources: config.sources, volumes: config.volumes, batchSize: config.extraction.batchSize },
      buildQueue: fixture.buildQueue,
      templates,
    });
    const tokens = Object.fromEntries(config.auth.tokens.map((t) => [t.user, t.token]));
    const app = await startTestApp({
      config,
      builds,
      token: tokens['alice']!,
      routers: [browseRoutes(config), templateRoutes(templates, { uploadLimitBytes: config.api.uploadLimitBytes })],
    });
    return {
      fixture,
      tokens,
      templates,
      builds,
      app,
      close: async () => {
        try {
          await app.close();
        } finally {
          await fixture.dispose();
        }
      },
    };
  } catch (err) {
    await fixture.dispose();
    throw err;
  }
}
