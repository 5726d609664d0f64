import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { startPlatformApp, type PlatformApp } from '@hfit/api/testing';
import { createApiClient, waitForBuild, type ApiClient } from '@hfit/api-client';
import type { LoadedServerConfig, SourceConfig } from '@hfit/config';
import { ProblemSchema, RowsPreviewSchema } from '@hfit/contracts';
import { registerTestSecret } from '@hfit/contracts/testing';
import { unpackArtifact, WorkerProcess } from '@hfit/worker/testing';
import { expect } from 'chai';

/** The environment variable the worker's config file takes the password from, as production configs do. */
const PASSWORD_ENV = 'HFIT_TEST_RO_PASSWORD';

/**
 * A source that needs a password, end to end: a MariaDB user with a random password (registered
 * with the log scan, so `npm test` fails if any log or audit line of this run shows it), browsed
 * through the API and exported by a worker process whose config reads the password from its
 * environment. A second source with a wrong password shows that the failure is reported without it.
 */
describe('end to end: a source with a password (the password appears in no answer and no log)', function () {
  this.timeout(120_000);
  const user = `hfit_ro_${randomBytes(4).toString('hex')}`;
  const password = `Pw-${randomBytes(18).toString('base64url')}`;
  const wrong = `${password}-wrong`;
  let platform: PlatformApp;
  let worker: WorkerProcess | undefined;
  let client: ApiClient;
  let database: string;

  /** The fixture's MariaDB source under another name and login. */
  const sourceAs = (config: LoadedServerConfig, name: string, login: { user: string; password: string }): SourceConfig => ({
    ...config.sources.find((s) => s.name === 'shop_mysql')!,
    name,
    ...login,
  });

  before(async () => {
    registerTestSecret(password);
    registerTestSecret(wrong);
    platform = await startPlatformApp({
      config: (c) => ({ ...c, sources: [...c.sources, sourceAs(c, 'shop_ro', { user, password }), sourceAs(c, 'shop_bad', { user, password: wrong })] }),
    });
    database = platform.fixture.my.name;
    // A read-only account on the scratch database, reachable over TCP from the loopback.
    for (const host of ['%', 'localhost']) {
      await platform.fixture.my.query('CREATE USER ?@? IDENTIFIED BY ?', [user, host, password]);
      await platform.fixture.my.exec(`GRANT SELECT, SHOW VIEW ON \`${database}\`.* TO '${user}'@'${host}'`);
    }
    // The worker's config: the fixture's, plus the source, its password taken from the environment.
    const raw = JSON.parse(await readFile(platform.fixture.configPath, 'utf8')) as { sources: Record<string, unknown> };
    raw.sources['shop_ro'] = { ...(raw.sources['shop_mysql'] as object), user, password: `\${${PASSWORD_ENV}}` };
    const configPath = path.join(platform.fixture.dir, 'hfit-ro.yaml');
    await writeFile(configPath, JSON.stringify(raw, null, 2));
    worker = await WorkerProcess.start('ro', { configPath, env: { [PASSWORD_ENV]: password } });
    client = createApiClient({ baseUrl: platform.app.url, token: platform.tokens['alice']! });
  });

  after(async () => {
    await worker?.dispose();
    if (platform !== undefined) {
      for (const host of ['%', 'localhost']) await platform.fixture.my.query('DROP USER IF EXISTS ?@?', [user, host]).catch(() => undefined);
      await platform.close();
    }
  });

  it('reads rows through the API and builds a package through a worker process with the password', async () => {
    const res = await platform.app.fetch(`/v1/sources/shop_ro/databases/${database}/tables/orders/rows?filter=${encodeURIComponent('customer_id = 3')}&limit=5`);
    expect(res.status, await res.clone().text()).to.equal(200);
    const preview = RowsPreviewSchema.parse(await res.json());
    expect(preview.rows.length).to.equal(5);

    const template = `hfitVersion: 1
templateName: ro_orders
packageName: ro_orders_$1
exports:
  shop.schema.sql: { type: dbcreate, data: { dbms: shop_ro, tablelist: [${database}] } }
  orders.data.sql: { type: table-data, data: { dbms: shop_ro, table: ${database}.orders, filter: "customer_id = $1" } }
`;
    const submitted = await client.builds.submit({ template, args: ['3'] });
    const done = await waitForBuild(client, submitted.build.id, { intervalMs: 100, timeoutMs: 60_000 });
    expect(done.state, JSON.stringify(done.error)).to.equal('succeeded');
    const download = await client.builds.downloadArtifact(done.id);
    const un = await unpackArtifact(Readable.fromWeb(download.body as WebReadableStream<Uint8Array>), 'tar.gz', 'ro_orders_3', platform.fixture.dir);
    const [{ n }] = (await platform.fixture.my.query<{ n: number }>('SELECT COUNT(*) AS n FROM orders WHERE customer_id = 3')) as [{ n: number }];
    expect(un.manifest.files.find((f) => f.path === 'orders.data.sql')?.rows).to.equal(Number(n));
    expect(worker!.output).not.to.include(password);
  });

  it('reports a wrong password without showing it, in the answer and in the log', async () => {
    const res = await platform.app.fetch(`/v1/sources/shop_bad/databases/${database}/tables/orders/rows?limit=1`);
    expect(res.status).to.be.within(500, 503);
    const text = await res.text();
    expect(ProblemSchema.parse(JSON.parse(text)).code).to.be.oneOf(['SOURCE_UNREACHABLE', 'INTERNAL_ERROR']);
    for (const secret of [password, wrong]) {
      expect(text).not.to.include(secret);
      expect(platform.app.logs.text()).not.to.include(secret);
    }
  });
});
