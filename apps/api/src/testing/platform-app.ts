import { createAuditLog, type AuditLog } from '@hfit/audit';
import { createSecurity, type Security } from '@hfit/auth';
import { createBuildService, type BuildService } from '@hfit/builds';
import { createPlatformFixture, type PlatformFixture, type PlatformFixtureOptions } from '@hfit/builds/testing';
import type { LoadedServerConfig } from '@hfit/config';
import { createLogger } from '@hfit/logger';
import { TemplateStore } from '@hfit/template-store';
import { auditRoutes } from '../routes/audit-routes.js';
import { browseRoutes } from '../routes/browse-routes.js';
import { templateRoutes } from '../routes/template-routes.js';
import type { RateLimits } from '../security/rate-limits.js';
import { CollectingAuditSink } from './collecting-audit-sink.js';
import { startTestApp, type TestApp } from './start-test-app.js';

/** Options of {@link startPlatformApp}. */
export interface PlatformAppOptions {
  /** Options of the platform fixture (row counts, worker settings). */
  readonly fixture?: PlatformFixtureOptions;
  /** Changes the fixture's config before the app starts (smaller limits for 413 tests). */
  readonly config?: (config: LoadedServerConfig) => LoadedServerConfig;
  /** Default: no limits. */
  readonly rateLimits?: RateLimits;
}

/**
 * The API in-process on a real build platform, wired as `main.ts` wires it: browse and template
 * routes, the security store (login, JWTs, CI tokens, admin routes), the audit log (files in the
 * config's `audit.dir`, stream under the fixture's Redis prefix) and `GET /v1/admin/audit`.
 */
export interface PlatformApp {
  readonly fixture: PlatformFixture;
  /** The fixture's tokens by user: `alice`, `ci-bot`. */
  readonly tokens: Readonly<Record<string, string>>;
  /** Templates on the fixture's object store, prefix `templates`. */
  readonly templates: TemplateStore;
  /** A real build service reading stored templates. */
  readonly builds: BuildService;
  /** The app; `fetch` sends alice's token unless told otherwise; `app.audit` holds every event it recorded. */
  readonly app: TestApp<BuildService>;
  /** Users, keys, CI tokens and signing keys of the app (a signing key exists). */
  readonly security: Security;
  /** The durable audit log every event also went to. */
  readonly auditLog: AuditLog;
  close(): Promise<void>;
}

/**
 * Starts a platform fixture (scratch MariaDB and PostgreSQL databases, an invoice volume, fs
 * storage, a unique Redis prefix) and the API on it: a build service with stored templates, and the
 * browse and template routes. `close()` stops the app and removes the fixture.
 */
export async function startPlatformApp(options: PlatformAppOptions = {}): Promise<PlatformApp> {
  const fixture = await createPlatformFixture(options.fixture);
  let auditLog: AuditLog | undefined;
  try {
    const config = options.config?.(fixture.config) ?? fixture.config;
    const templates = new TemplateStore({ store: fixture.objects, prefix: 'templates' });
    const builds = createBuildService({
      store: fixture.store,
      objects: fixture.objects,
      engine: { sources: config.sources, volumes: config.volumes, batchSize: config.extraction.batchSize },
      buildQueue: fixture.buildQueue,
      templates,
      maxConcurrentBuildsPerUser: config.api.maxConcurrentBuildsPerUser,
    });
    const tokens = Object.fromEntries(config.auth.tokens.map((t) => [t.user, t.token]));
    const logger = createLogger({ name: 'platform-app', level: 'silent' });
    const security = createSecurity({ config, redis: fixture.redis, objects: fixture.objects, logger });
    await security.signingKeys.ensure();
    auditLog = createAuditLog(config.audit, fixture.redis, config.redis.prefix, logger);
    // One sink for every route: the app's own (auth, admin, builds, downloads) and the browse routes'.
    const audit = new CollectingAuditSink(auditLog);
    const app = await startTestApp({
      config,
      builds,
      audit,
      security,
      ...(options.rateLimits === undefined ? {} : { rateLimits: options.rateLimits }),
      token: tokens['alice']!,
      routers: [browseRoutes(config, { audit }), templateRoutes(templates, { uploadLimitBytes: config.api.uploadLimitBytes }), auditRoutes(auditLog)],
    });
    const log = auditLog;
    return {
      fixture,
      tokens,
      templates,
      builds,
      app,
      security,
      auditLog: log,
      close: async () => {
        try {
          await app.close();
        } finally {
          try {
            await log.close();
          } finally {
            await fixture.dispose();
          }
        }
      },
    };
  } catch (err) {
    await auditLog?.close().catch(() => undefined);
    await fixture.dispose();
    throw err;
  }
}
