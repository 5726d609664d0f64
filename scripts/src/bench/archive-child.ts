import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { writeDeterministicArchive, type ArchiveFormat } from '@hfit/archive';
import { folderEntries } from './folder-entries.js';
import { peakRssMB } from './measure.js';

/** What {@link main} prints. */
export interface ArchiveChildResult {
  readonly ms: number;
  readonly bytes: number;
  readonly inputBytes: number;
  readonly files: number;
  readonly maxRssMB: number;
}

/**
 * One deterministic archive of a package folder in a fresh process, at the format's default level
 * (what the build platform writes), so that its peak RSS is the archive writer's alone.
 * argv: tar.gz|zip packageDir outFile. The folder's name is the archive's top folder.
 */
async function main(): Promise<void> {
  const [format, packageDir, outFile] = process.argv.slice(2) as [ArchiveFormat, string, string];
  const { entries, bytes: inputBytes } = await folderEntries(packageDir);
  const t0 = performance.now();
  const r = await writeDeterministicArchive({ format, topFolder: path.basename(packageDir), entries, out: createWriteStream(outFile) });
  const ms = performance.now() - t0;
  const result: ArchiveChildResult = { ms, bytes: r.bytes, inputBytes, files: entries.length, maxRssMB: peakRssMB() };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
