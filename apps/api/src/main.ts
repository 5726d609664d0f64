import { createAuditLog } from '@hfit/audit';
import { createSecurity } from '@hfit/auth';
import { BuildStore, createBuildService, objectStoreOf, type BuildJobData, type BuildJobResult, type BuildService } from '@hfit/builds';
import { loadServerConfig } from '@hfit/config';
import type { LoadedServerConfig } from '@hfit/config';
import { QUEUE_NAMES, type AuditSink } from '@hfit/contracts';
import { createLogger } from '@hfit/logger';
import type { Logger } from '@hfit/logger';
import { checkRedisPolicy, closeAll, createQueue, createRedisConnection, queueClosable, redisClosable } from '@hfit/queue';
import type { Closable } from '@hfit/queue';
import type { ObjectStore } from '@hfit/storage';
import { TemplateStore } from '@hfit/template-store';
import { createApp } from './app.js';
import { redisReadiness } from './readiness/redis-readiness.js';
import { storageReadiness } from './readiness/storage-readiness.js';
import { auditRoutes } from './routes/audit-routes.js';
import { browseRoutes } from './routes/browse-routes.js';
import type { RouteModule } from './routes/route-module.js';
import { templateRoutes } from './routes/template-routes.js';
import { RedisRateLimits } from './security/redis-rate-limits.js';
import { startHttpServer } from './start-http-server.js';

// hfit API process: `node apps/api/dist/main.js` with HFIT_CONFIG pointing at the server config.

/** Budget of a graceful shutdown (requests in progress finish), before connections are dropped. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** What the process hands to the build platform. */
interface BuildWiringContext {
  readonly config: LoadedServerConfig;
  readonly logger: Logger;
  /** The API's `queue`-role Redis connection (fails fast while Redis is down). */
  readonly connection: ReturnType<typeof createRedisConnection>;
  readonly objects: ObjectStore;
  /** Where browse reads (rows, files) and access refusals are recorded. */
  readonly audit: AuditSink;
}

/** The build service, the route modules around it, and what must be closed, before the Redis connection. */
interface WiredBuildService {
  readonly builds: BuildService;
  /** Browse and template routes, for `createApp({ routers })`. */
  readonly routers: readonly RouteModule[];
  readonly closables: readonly Closable[];
}

/** Folder of the stored templates in the object store (`templates/<user>/<name>.yaml`). */
const TEMPLATES_PREFIX = 'templates';

/**
 * WIRING OF THE BUILD PLATFORM — the one place that knows how `@hfit/builds` is assembled for the
 * API: the build queue and service, the stored templates (on the same object store as the
 * packages; builds read them by `templateName`), and the route modules of both (browse reads the
 * configured sources and volumes directly).
 */
function wireBuildService(ctx: BuildWiringContext): WiredBuildService {
  const { config, connection, objects, logger } = ctx;
  const { prefix } = config.redis;
  const w = config.worker;
  const buildQueue = createQueue<BuildJobData, BuildJobResult>(QUEUE_NAMES.build, {
    connection,
    prefix,
    jobOptions: { attempts: w.attempts, backoff: { type: 'exponential', delay: w.backoffMs } },
    onError: (err) => logger.warn({ err }, 'build queue error'),
  });
  const templates = new TemplateStore({ store: objects, prefix: TEMPLATES_PREFIX });
  const builds = createBuildService({
    store: new BuildStore(connection, prefix),
    objects,
    engine: { sources: config.sources, volumes: config.volumes, batchSize: config.extraction.batchSize },
    buildQueue,
    templates,
    presignSeconds: config.api.presignSeconds,
    maxConcurrentBuildsPerUser: config.api.maxConcurrentBuildsPerUser,
  });
  return {
    builds,
    routers: [browseRoutes(config, ctx), templateRoutes(templates, { uploadLimitBytes: config.api.uploadLimitBytes })],
    closables: [queueClosable(buildQueue, 'build queue')],
  };
}

async function main(): Promise<void> {
  const logger = createLogger({ name: 'hfit-api' });
  const closables: Closable[] = [];
  try {
    const config = loadServerConfig({ checkVolumeRoots: true });
    const connection = createRedisConnection({
      url: config.redis.url,
      role: 'queue',
      connectionName: 'hfit-api',
      onError: (err) => logger.warn({ err: { message: err.message } }, 'redis connection error'),
    });
    const redisStep = redisClosable(connection, 'redis connection');
    closables.push(redisStep);
    const policy = await checkRedisPolicy(connection);
    if (!policy.verified) logger.warn('could not read Redis maxmemory-policy (managed Redis?): make sure it is "noeviction"');
    const objects = objectStoreOf(config);
    // The audit trail: files in audit.dir first, then the Redis stream GET /v1/admin/audit reads.
    const audit = createAuditLog(config.audit, connection, config.redis.prefix, logger);
    const wired = wireBuildService({ config, logger, connection, objects, audit });
    // Close order: stop taking requests, then the service's queues, then Redis.
    closables.splice(0, closables.length, ...wired.closables, redisStep);
    if (config.auth.tokens.length === 0 && config.auth.admins.length === 0) logger.warn('auth.tokens and auth.admins are empty: only users already in the security store can log in');
    // Users, keys, CI tokens and signing keys, shared by every replica (documents in storage, version in Redis).
    if (config.auth.signingKeySecret === undefined) {
      logger.warn('auth.signingKeySecret is not set: JWT signing keys are stored unsealed in the object store (whoever reads it could mint tokens)');
    }
    const security = createSecurity({ config, redis: connection, objects, logger });
    await security.signingKeys.ensure();
    closables.unshift({ name: 'audit log', close: () => audit.close() });
    // After a Redis loss the stream is empty: add the files' events back, without delaying the start.
    void audit.reindex().then(
      (r) => logger.info({ reindex: r }, r.reindexed ? 'audit stream rebuilt from the audit files' : 'audit stream kept'),
      (err: unknown) => logger.warn({ err }, 'audit stream reindex failed; GET /v1/admin/audit misses older events until the next start'),
    );
    const app = createApp({
      config,
      logger,
      security,
      audit,
      // Counted in Redis: every replica shares the login and submission budgets.
      rateLimits: new RedisRateLimits(connection, config.redis.prefix, config.api.rateLimits),
      builds: wired.builds,
      routers: [...wired.routers, auditRoutes(audit)],
      readiness: { redis: redisReadiness(connection), storage: storageReadiness(objects) },
    });
    const http = await startHttpServer(app, { host: config.api.host, port: config.api.port });
    closables.unshift(http.closable);
    logger.info({ url: http.url }, `hfit API listening on ${http.url}`);
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal, timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'stopping: no new connections; requests in progress may finish');
      const started = Date.now();
      void closeAll(closables, { timeoutMs: SHUTDOWN_TIMEOUT_MS }).then((report) => {
        if (report.ok) logger.info({ ms: Date.now() - started }, 'stopped');
        else logger.warn({ problems: report.problems }, 'shutdown incomplete');
        process.exit(report.ok ? 0 : 1);
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  } catch (err) {
    logger.fatal({ err }, 'API did not start');
    // The message of an HfitError names every problem (a config error lists each bad field).
    console.error(`hfit-api: ${err instanceof Error ? err.message : String(err)}`);
    await closeAll(closables, { timeoutMs: 2_000 });
    process.exit(1);
  }
}

await main();
