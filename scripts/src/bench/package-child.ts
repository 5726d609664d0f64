import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { writeDeterministicArchive } from '@hfit/archive';
import { buildPackage, DirectorySink } from '@hfit/engine';
import { benchServerConfig, benchTemplate } from './bench-build.js';
import { folderEntries } from './folder-entries.js';
import { peakRssMB } from './measure.js';

/** What {@link main} prints. */
export interface PackageChildResult {
  /** buildPackage: template parse to the package folder committed. */
  readonly ms: number;
  /** Bytes of the package's files (uncompressed). */
  readonly bytes: number;
  readonly packageDir: string;
  /** Rows per export, from the manifest. */
  readonly rows: Record<string, number>;
  /** Then a deterministic tar.gz of the folder (what the platform's assembly writes), when asked. */
  readonly archiveMs?: number;
  readonly archiveBytes?: number;
  readonly maxRssMB: number;
}

/**
 * The bench template built in a fresh process with the in-process engine (`buildPackage` into a
 * `DirectorySink`): extraction alone, no queue, staging or archive. With `archive`, the folder is
 * then written as the deterministic tar.gz the platform publishes, timed separately.
 * argv: rows outDir batchSize [archive].
 */
async function main(): Promise<void> {
  const [rowsArg, outDir, batchArg, archive] = process.argv.slice(2) as [string, string, string, string | undefined];
  const rows = Number(rowsArg);
  const config = benchServerConfig(Number(batchArg));
  const engine = { sources: config.sources, volumes: config.volumes, batchSize: config.extraction.batchSize };
  const t0 = performance.now();
  const built = await buildPackage(benchTemplate(rows), [], engine, (name) => new DirectorySink(outDir, name));
  const ms = performance.now() - t0;
  const packageDir = path.join(outDir, built.packageName);
  const { entries, bytes } = await folderEntries(packageDir);
  let archived: { archiveMs: number; archiveBytes: number } | undefined;
  if (archive === 'archive') {
    const t1 = performance.now();
    const out = path.join(outDir, `${built.packageName}.tar.gz`);
    const a = await writeDeterministicArchive({ format: 'tar.gz', topFolder: built.packageName, entries, out: createWriteStream(out) });
    archived = { archiveMs: performance.now() - t1, archiveBytes: a.bytes };
  }
  const result: PackageChildResult = {
    ms,
    bytes,
    packageDir,
    rows: Object.fromEntries(built.manifest.files.map((f) => [f.path, f.rows ?? 0])),
    ...archived,
    maxRssMB: peakRssMB(),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
