import { execFile } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { ApiError, createApiClient, waitForBuild, type ApiClient } from '@hfit/api-client';
import { loadServerConfig } from '@hfit/config';
import { isHfitError, type BuildView, type Manifest } from '@hfit/contracts';
import { freePort, startDemoProcess, type DemoProcess } from './demo-processes.js';
import { seedDemo } from './demo-seed.js';

const run = promisify(execFile);

/**
 * `npm run demo [orderId]`: the main job on local defaults. Seeds the demo data into the local
 * MariaDB and PostgreSQL and the demo volume, starts the API and one worker (local Redis, packages
 * stored in infra/demo/hfit-storage), submits infra/demo/templates/order-incident.yaml for one order
 * through the API, follows its progress, downloads the archive, checks its sha256 and unpacks it
 * into hfit-data/order_<id>/.
 *
 * The demo user is the config's first admin (`auth.admins`): its Ed25519 key pair is made once in
 * `.hfit-demo/keys/`, and the demo logs in as the CLI does (challenge, signature, short-lived JWT).
 *
 * `--api <url> --token <t> --volume <dir>`: use a running API instead (docker compose), with a
 * token (default `$HFIT_DEMO_TOKEN`), seeding the invoice files into `<dir>`.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { api: { type: 'string' }, token: { type: 'string' }, volume: { type: 'string' } },
  });
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const infraDir = path.join(root, 'infra/demo');
  const orderId = positionals[0] ?? '42';
  const configPath = path.join(infraDir, 'hfit.yaml');
  const port = values.api ? undefined : await freePort();
  const keyDir = path.join(root, '.hfit-demo/keys');
  const demoKey = values.api ? undefined : await demoLoginKey(keyDir);
  const env: Record<string, string> =
    port === undefined || demoKey === undefined
      ? {}
      : {
          HFIT_CONFIG: configPath,
          HFIT_DEMO_API_PORT: String(port),
          HFIT_DEMO_ADMIN_KEY: createPublicKey(demoKey).export({ type: 'spki', format: 'pem' }).toString(),
          HFIT_DEMO_SIGNING_KEY_SECRET: await demoSecret(path.join(keyDir, 'signing-key-secret')),
        };
  // The volume root is created by the seed step, after the config is read.
  const config = loadServerConfig({ path: configPath, checkVolumeRoots: false, env: { ...process.env, ...env } });
  const source = (name: string) => {
    const s = config.sources.find((x) => x.name === name);
    if (!s) throw new Error(`demo config has no source "${name}"`);
    return s;
  };
  const invoicesRoot = values.volume ?? config.volumes.find((v) => v.name === 'invoices')?.root;
  if (!invoicesRoot) throw new Error('demo config has no volume "invoices"');
  console.log('seeding demo data (MariaDB shop, PostgreSQL hfit_demo.analytics, volume invoices)…');
  await seedDemo({ infraDir, mysqlSource: source('shop_mysql'), pgSource: source('shop_pg'), invoicesRoot });

  const processes: DemoProcess[] = [];
  try {
    let baseUrl = values.api;
    if (baseUrl === undefined) {
      const logDir = path.join(root, '.hfit-demo/logs');
      processes.push(await startDemoProcess('worker', path.join(root, 'apps/worker/dist/main.js'), env, logDir));
      processes.push(await startDemoProcess('api', path.join(root, 'apps/api/dist/main.js'), env, logDir));
      baseUrl = `http://127.0.0.1:${port}`;
      console.log(`started the API on ${baseUrl} and a worker (logs in ${path.relative(process.cwd(), logDir)}/)`);
    }
    await waitUntilReady(createApiClient({ baseUrl }), processes);
    const client = createApiClient({ baseUrl, token: demoKey === undefined ? (values.token ?? process.env['HFIT_DEMO_TOKEN']) : await logIn(baseUrl, DEMO_USER, demoKey) });
    const templatePath = path.join(infraDir, 'templates/order-incident.yaml');
    const { build: accepted } = await client.builds.submit({ template: await readFile(templatePath, 'utf8'), args: [orderId] });
    console.log(`build ${accepted.id} queued: ${path.relative(root, templatePath)} with $1=${orderId}`);
    let last = '';
    const done = await waitForBuild(client, accepted.id, {
      intervalMs: 200,
      timeoutMs: 120_000,
      onPoll: (v) => {
        const line = progressLine(v);
        if (line !== last) console.log(`  ${line}`);
        last = line;
      },
    });
    if (done.state !== 'succeeded' || !done.artifact || !done.packageName)
      throw new Error(`build ${done.id} ${done.state}: ${done.error ? `${done.error.code}: ${done.error.message}` : 'no artifact'}`);
    const outDir = path.join(root, 'hfit-data');
    const dir = await downloadAndUnpack(client, done, outDir);
    const manifest = JSON.parse(await readFile(path.join(dir, 'METADATA/manifest.json'), 'utf8')) as Manifest;
    console.log(`\npackage ${done.packageName} (${done.artifact.name}, ${done.artifact.size} B, sha256 ${done.artifact.sha256.slice(0, 16)}… verified)`);
    console.log(`  -> ${path.relative(process.cwd(), dir)}/`);
    for (const v of manifest.variables) console.log(`  var ${v.variable} = ${v.value}  (${v.source}: ${v.origin})`);
    for (const f of manifest.files)
      console.log(`  ${f.path.padEnd(38)} ${String(f.bytes).padStart(7)} B  ${f.rows === undefined ? '' : `${f.rows} rows  `}${f.sha256.slice(0, 12)}`);
    const ms = Date.parse(done.finishedAt!) - Date.parse(done.createdAt);
    console.log(`  METADATA/manifest.json  (${manifest.totals.files} files, ${manifest.totals.rows} rows; queued to published in ${ms} ms)`);
  } catch (err) {
    for (const p of processes) console.error(`--- last lines of the ${p.name} log (${p.logFile}):\n${await p.tail()}`);
    throw err;
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
  }
}

/** The demo admin of infra/demo/hfit.yaml (`auth.admins`). */
const DEMO_USER = 'demo';

/** The demo user's Ed25519 private key, made on first use (PKCS#8 PEM, mode 0600). */
async function demoLoginKey(dir: string): Promise<KeyObject> {
  const file = path.join(dir, 'demo_ed25519.pem');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== undefined) return createPrivateKey(existing);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  await chmod(file, 0o600);
  return privateKey;
}

/**
 * The secret that seals the demo API's JWT signing keys (`auth.signingKeySecret`), made on first
 * use (mode 0600) and kept: the keys it sealed stay in infra/demo/hfit-storage between runs.
 */
async function demoSecret(file: string): Promise<string> {
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== undefined) return existing.trim();
  const secret = randomBytes(32).toString('base64');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return secret;
}

/** Key-pair login, as `hfit login` does it: sign the server's one-time challenge, get a short-lived JWT. */
async function logIn(baseUrl: string, user: string, key: KeyObject): Promise<string> {
  const anonymous = createApiClient({ baseUrl });
  const { challenge } = await anonymous.auth.challenge(user);
  const signature = sign(null, Buffer.from(challenge, 'utf8'), key).toString('base64');
  const { token, expiresAt } = await anonymous.auth.token({ username: user, challenge, signature });
  console.log(`logged in as ${user} with the key in .hfit-demo/keys/ (token valid until ${expiresAt})`);
  return token;
}

function progressLine(v: BuildView): string {
  const p = v.progress;
  const current = p.exports.find((e) => e.state === 'running');
  return `${v.state.padEnd(9)} exports ${p.exportsDone}/${p.exportsTotal}, ${p.rows} rows, ${p.bytes} B${current ? ` (${current.name})` : ''}`;
}

/** Waits for `/readyz` (Redis and storage reachable); fails early if a started process exits. */
async function waitUntilReady(client: ApiClient, processes: readonly DemoProcess[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const dead = processes.find((p) => p.child.exitCode !== null);
    if (dead) throw new Error(`the ${dead.name} process exited with code ${dead.child.exitCode}`);
    const ready = await client.ready().catch(() => undefined);
    if (ready?.status === 'ok') return;
    if (Date.now() > deadline) throw new Error(`the API is not ready after 30 s: ${JSON.stringify(ready?.checks ?? 'unreachable')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Downloads the archive, checks its sha256 against the build record, unpacks it with tar next to
 * the target and swaps it in, so a failed download leaves the previous package in place.
 */
async function downloadAndUnpack(client: ApiClient, build: BuildView, outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const work = await mkdtemp(path.join(outDir, `.${build.packageName}.`));
  try {
    const file = path.join(work, build.artifact!.name);
    const download = await client.builds.downloadArtifact(build.id);
    const hash = createHash('sha256');
    await pipeline(
      Readable.fromWeb(download.body as import('node:stream/web').ReadableStream<Uint8Array>),
      new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          cb(null, chunk);
        },
      }),
      createWriteStream(file),
    );
    const sha256 = hash.digest('hex');
    if (sha256 !== build.artifact!.sha256) throw new Error(`downloaded archive has sha256 ${sha256}, the build says ${build.artifact!.sha256}`);
    const unpacked = path.join(work, 'unpacked');
    await mkdir(unpacked);
    if (build.artifact!.format === 'zip') await run('unzip', ['-q', file, '-d', unpacked]);
    else await run('tar', ['-xzf', file, '-C', unpacked]);
    const target = path.join(outDir, build.packageName!);
    await rm(target, { recursive: true, force: true });
    await rename(path.join(unpacked, build.packageName!), target);
    return target;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  const message = isHfitError(err) || err instanceof ApiError ? `${(err as { code?: string }).code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  console.error(`hfit demo: ${message}`);
  process.exitCode = 1;
});
