import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { loadServerConfig } from '@hfit/config';
import { isHfitError } from '@hfit/contracts';
import { buildPackage, DirectorySink } from '@hfit/engine';
import { seedDemo } from './demo-seed.js';

/**
 * `npm run demo [orderId]`: the main job on local defaults. Seeds the demo data into the local
 * MariaDB and PostgreSQL and the demo volume, then builds the sample template
 * (infra/demo/templates/order-incident.yaml) for one order into hfit-data/order_<id>/.
 * (Until the API and worker exist, the engine runs in-process.)
 */
async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const infraDir = path.join(root, 'infra/demo');
  const orderId = process.argv[2] ?? '42';
  // The volume root is created by the seed step, after the config is read.
  const config = loadServerConfig({ path: path.join(infraDir, 'hfit.yaml'), checkVolumeRoots: false });
  const source = (name: string) => {
    const s = config.sources.find((x) => x.name === name);
    if (!s) throw new Error(`demo config has no source "${name}"`);
    return s;
  };
  const invoices = config.volumes.find((v) => v.name === 'invoices');
  if (!invoices) throw new Error('demo config has no volume "invoices"');
  console.log('seeding demo data (MariaDB shop, PostgreSQL hfit_demo.analytics, volume invoices)…');
  await seedDemo({ infraDir, mysqlSource: source('shop_mysql'), pgSource: source('shop_pg'), invoicesRoot: invoices.root });
  const templatePath = path.join(infraDir, 'templates/order-incident.yaml');
  const outDir = path.join(root, 'hfit-data');
  console.log(`building ${path.relative(root, templatePath)} with $1=${orderId}…`);
  const { packageName, manifest } = await buildPackage(
    await readFile(templatePath, 'utf8'),
    [orderId],
    { sources: config.sources, volumes: config.volumes, batchSize: config.extraction.batchSize },
    (name) => new DirectorySink(outDir, name),
  );
  console.log(`\npackage ${packageName} -> ${path.relative(process.cwd(), path.join(outDir, packageName))}/`);
  for (const v of manifest.variables) console.log(`  var ${v.variable} = ${v.value}  (${v.source}: ${v.origin})`);
  for (const f of manifest.files)
    console.log(`  ${f.path.padEnd(38)} ${String(f.bytes).padStart(7)} B  ${f.rows === undefined ? '' : `${f.rows} rows  `}${f.sha256.slice(0, 12)}`);
  console.log(`  METADATA/manifest.json  (${manifest.totals.files} files, ${manifest.totals.rows} rows, ${manifest.timings?.durationMs ?? 0} ms)`);
}

main().catch((err: unknown) => {
  console.error(isHfitError(err) ? `hfit demo: ${err.code}: ${err.message}` : err);
  process.exitCode = 1;
});
