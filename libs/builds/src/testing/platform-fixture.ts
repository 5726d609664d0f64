import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configPolicyResolver, configRolesOf, policyOf } from '@hfit/access';
import { parseServerConfig, type LoadedServerConfig } from '@hfit/config';
import { ADMIN_ROLE, QUEUE_NAMES, type AccessPolicy, type GrantInput, type PolicyResolver } from '@hfit/contracts';
import { createScratchDatabase, TEST_SERVERS, type ScratchDatabase } from '@hfit/db/testing';
import { closeAll, createQueue, createRedisConnection, queueClosable, redisClosable, waitForRedisReady } from '@hfit/queue';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueTestPrefix } from '@hfit/queue/testing';
import { registerTestSecret, scannedTestDir } from '@hfit/contracts/testing';
import { createObjectStore, type ObjectStore } from '@hfit/storage';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { BuildView } from '@hfit/contracts';
import type { BuildJobData, BuildJobResult } from '../build-jobs.js';
import type { BuildService, Caller } from '../build-service.js';
import { BuildStore } from '../build-store.js';
import { createBuildService } from '../create-build-service.js';

/** Options of {@link createPlatformFixture}. */
export interface PlatformFixtureOptions {
  /** Rows in the `orders` table (default 60). */
  readonly orders?: number;
  /** Overrides of the config's `worker` section (short locks for crash tests). */
  readonly worker?: Record<string, number>;
  /** Overrides of the config's `storage.retention`. */
  readonly retention?: { keepLast?: number; maxAgeDays?: number };
  /** More roles for the config's `auth.roles` (besides `tester`), for ACL tests. */
  readonly roles?: Readonly<Record<string, GrantInput>>;
  /**
   * More users, each with a static token and these roles (besides alice and ci-bot, who have
   * `tester`: every action but admin on everything, others' builds and templates hidden).
   */
  readonly users?: Readonly<Record<string, readonly string[]>>;
  /** `api.maxConcurrentBuildsPerUser` of the config and of the fixture's service. Default 0: no cap. */
  readonly maxConcurrentBuildsPerUser?: number;
}

/** Who calls a fixture service: the user, and their policy unless it should come from the fixture's config. */
export interface FixtureCaller {
  readonly user: string;
  readonly policy?: AccessPolicy;
}

/** A {@link BuildService} whose callers may leave out their policy: the fixture's config gives it (alice: `tester`). */
export type FixtureBuildService = {
  [K in keyof BuildService]: BuildService[K] extends (caller: Caller, ...rest: infer A) => infer R ? (caller: FixtureCaller, ...rest: A) => R : never;
};

/**
 * A whole build platform on the local services for one test: a MariaDB database (`customers`,
 * `orders`) and a PostgreSQL database (schema `app`, table `events`) with known rows, a volume of
 * invoice files, a file-system object store, a unique Redis prefix, the server config (also written
 * to `configPath` for worker processes), and the API-side build service. `dispose()` removes it all.
 */
export interface PlatformFixture {
  readonly dir: string;
  readonly prefix: string;
  readonly my: ScratchDatabase;
  readonly pg: ScratchDatabase;
  readonly volumeRoot: string;
  readonly storageRoot: string;
  readonly configPath: string;
  readonly config: LoadedServerConfig;
  readonly redis: Redis;
  readonly store: BuildStore;
  readonly objects: ObjectStore;
  readonly buildQueue: Queue<BuildJobData, BuildJobResult>;
  /** The API-side service; a caller without a policy gets the one the fixture's config gives the user. */
  readonly service: FixtureBuildService;
  /** Every user's policy per the fixture's config (what a worker uses by default). */
  readonly policies: PolicyResolver;
  /** A caller with the policy the fixture's config gives `user` (none for an unknown user). */
  callerOf(user: string): Caller;
  /** The sample template: `$1` = order id; DDL, rows of three tables, one file and a folder of files. */
  readonly template: string;
  dispose(): Promise<void>;
}

/** The sample template of the fixture. */
export function sampleTemplate(mysqlDb: string): string {
  return `hfitVersion: 1
templateName: order_incident
packageName: order_$1
prepare:
  - setVar: orderId
    from: input
    source: $1
  - setVar: customerId
    from: hot-data
    hdata: { type: dbquery, dbms: shop_mysql, query: "SELECT customer_id FROM ${mysqlDb}.orders WHERE id = \${orderId}" }
exports:
  shop.schema.sql: { type: dbcreate, data: { dbms: shop_mysql, tablelist: [${mysqlDb}] } }
  events.create.sql: { type: table-create, data: { dbms: shop_pg, tablelist: [app.events], option: dropcreate } }
  customers.data.sql: { type: table-data, data: { dbms: shop_mysql, table: ${mysqlDb}.customers, filter: "id = \${customerId}" } }
  orders.data.sql: { type: table-data, data: { dbms: shop_mysql, table: ${mysqlDb}.orders, filter: "customer_id = \${customerId}" } }
  events.data.sql: { type: table-data, data: { dbms: shop_pg, table: app.events, filter: "order_id = \${orderId}", format: copy } }
  invoice.txt: { type: file, data: { volume: invoices, path: "invoice_\${orderId}.txt" } }
  attachments: { type: files, data: { volume: invoices, glob: "att_\${orderId}_*.txt" } }
`;
}

/** Creates a {@link PlatformFixture}. */
export async function createPlatformFixture(options: PlatformFixtureOptions = {}): Promise<PlatformFixture> {
  const orders = options.orders ?? 60;
  const dir = await mkdtemp(path.join(tmpdir(), 'hfit-platform-'));
  const prefix = uniqueTestPrefix();
  const [my, pg] = await Promise.all([createScratchDatabase('mysql'), createScratchDatabase('postgres')]);
  await my.exec(`CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(80) NOT NULL, email VARCHAR(120));
    CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL, total DECIMAL(10,2) NOT NULL, note TEXT, FOREIGN KEY (customer_id) REFERENCES customers(id));
    INSERT INTO customers VALUES ${Array.from({ length: 10 }, (_, i) => `(${i + 1}, 'Customer ${i + 1}', 'c${i + 1}@example.test')`).join(',')};`);
  for (let start = 1; start <= orders; start += 5000) {
    const end = Math.min(orders, start + 4999);
    const values = Array.from({ length: end - start + 1 }, (_, k) => {
      const id = start + k;
      return `(${id}, ${(id % 10) + 1}, ${(id * 7) % 1000}.25, 'note ${id} ${'x'.repeat(id % 40)}')`;
    });
    await my.exec(`INSERT INTO orders VALUES ${values.join(',')}`);
  }
  await pg.exec(`CREATE SCHEMA app;
    CREATE TABLE app.events (id BIGINT PRIMARY KEY, order_id INT NOT NULL, kind TEXT NOT NULL, payload JSONB);
    INSERT INTO app.events SELECT g, (g % ${Math.max(orders, 1)}) + 1, 'kind-' || (g % 3), jsonb_build_object('n', g) FROM generate_series(1, ${orders * 2}) g;`);
  const volumeRoot = path.join(dir, 'volume');
  await mkdir(volumeRoot, { recursive: true });
  for (let id = 1; id <= Math.min(orders, 50); id++) {
    await writeFile(path.join(volumeRoot, `invoice_${id}.txt`), `Invoice for order ${id}\n`);
    for (const k of [1, 2]) await writeFile(path.join(volumeRoot, `att_${id}_${k}.txt`), `attachment ${k} of order ${id}\n`);
  }
  // Fixed mtimes: archives of the same data must be byte-identical, and files carry no mtime there anyway.
  await utimes(path.join(volumeRoot, 'invoice_1.txt'), new Date('2024-01-01'), new Date('2024-01-01'));
  const storageRoot = path.join(dir, 'storage');
  const configObject = {
    sources: {
      shop_mysql: { type: 'mysql', ...TEST_SERVERS.mysql, databases: [my.name], statementTimeoutMs: 60_000, poolSize: 2 },
      shop_pg: { type: 'postgres', ...TEST_SERVERS.postgres, database: pg.name, databases: ['app'], statementTimeoutMs: 60_000, poolSize: 2 },
    },
    volumes: { invoices: { root: volumeRoot } },
    extraction: { batchSize: 100 },
    storage: { type: 'fs', root: storageRoot, retention: options.retention ?? {} },
    redis: { url: TEST_REDIS_URL, prefix },
    // Under the test run's log folder when there is one: the log scan reads the audit trail too.
    audit: { dir: scannedTestDir('audit') ?? path.join(dir, 'hfit-audit') },
    worker: { lockDurationMs: 30_000, stalledIntervalMs: 5_000, attempts: 3, backoffMs: 200, shutdownTimeoutMs: 10_000, ...options.worker },
    api: { port: 0, maxConcurrentBuildsPerUser: options.maxConcurrentBuildsPerUser ?? 0 },
    auth: {
      // JWT signing keys are sealed at rest, as in production.
      signingKeySecret: randomBytes(32).toString('base64'),
      // Every action but admin, on everything; others' builds and templates stay hidden.
      roles: { tester: { actions: ['browse', 'rows', 'files', 'build', 'download'], tables: ['**'], volumes: ['**'], packages: ['**'] }, ...options.roles },
      tokens: [
        { user: 'alice', token: `alice-${randomBytes(12).toString('hex')}`, roles: ['tester'] },
        { user: 'ci-bot', token: `ci-${randomBytes(12).toString('hex')}`, roles: ['tester'] },
        ...Object.entries(options.users ?? {}).map(([user, roles]) => ({ user, token: `${user}-${randomBytes(12).toString('hex')}`, roles })),
      ],
    },
  };
  for (const t of configObject.auth.tokens) registerTestSecret(t.token);
  registerTestSecret(configObject.auth.signingKeySecret);
  const configPath = path.join(dir, 'hfit.yaml');
  const text = JSON.stringify(configObject, null, 2);
  await writeFile(configPath, text);
  const config = parseServerConfig(text, {}, { baseDir: dir, path: configPath });
  const redis = createRedisConnection({ url: TEST_REDIS_URL, role: 'queue' });
  await waitForRedisReady(redis);
  const store = new BuildStore(redis, prefix);
  const objects = createObjectStore({ type: 'fs', root: storageRoot });
  const buildQueue = createQueue<BuildJobData, BuildJobResult>(QUEUE_NAMES.build, {
    connection: redis,
    prefix,
    jobOptions: { attempts: config.worker.attempts, backoff: { type: 'exponential', delay: config.worker.backoffMs } },
  });
  const real = createBuildService({
    store,
    objects,
    engine: { sources: config.sources, volumes: config.volumes, batchSize: config.extraction.batchSize },
    buildQueue,
    maxConcurrentBuildsPerUser: config.api.maxConcurrentBuildsPerUser,
  });
  const callerOf = (user: string): Caller => ({ user, policy: policyOf(user, configRolesOf(config.auth, user) ?? [], [], config.auth.roles) });
  const full = (c: FixtureCaller): Caller => (c.policy === undefined ? callerOf(c.user) : { user: c.user, policy: c.policy });
  const service: FixtureBuildService = {
    submit: (c, ...rest) => real.submit(full(c), ...rest),
    validate: (c, ...rest) => real.validate(full(c), ...rest),
    get: (c, ...rest) => real.get(full(c), ...rest),
    list: (c, ...rest) => real.list(full(c), ...rest),
    cancel: (c, ...rest) => real.cancel(full(c), ...rest),
    latest: (c, ...rest) => real.latest(full(c), ...rest),
    openArtifact: (c, ...rest) => real.openArtifact(full(c), ...rest),
    presignArtifact: (c, ...rest) => real.presignArtifact(full(c), ...rest),
  };
  return {
    dir,
    prefix,
    my,
    pg,
    volumeRoot,
    storageRoot,
    configPath,
    config,
    redis,
    store,
    objects,
    buildQueue,
    service,
    policies: configPolicyResolver(config.auth),
    callerOf,
    template: sampleTemplate(my.name),
    async dispose() {
      await closeAll([queueClosable(buildQueue, 'build queue')], { timeoutMs: 5_000 });
      await deleteKeysWithPrefix(redis, prefix);
      await closeAll([redisClosable(redis, 'redis')], { timeoutMs: 5_000 });
      await Promise.all([my.drop(), pg.drop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A caller who sees every build: what a test polls with. */
export const TEST_OBSERVER: Caller = { user: 'test-observer', policy: policyOf('test-observer', [ADMIN_ROLE], [], {}) };

/** Polls a build until it is final (or throws after `timeoutMs`), as {@link TEST_OBSERVER}. */
export async function waitForFinalBuild(service: Pick<BuildService, 'get'>, id: string, timeoutMs = 60_000): Promise<BuildView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await service.get(TEST_OBSERVER, id);
    if (view.state === 'succeeded' || view.state === 'failed' || view.state === 'cancelled') return view;
    if (Date.now() > deadline) throw new Error(`build ${id} still ${view.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
