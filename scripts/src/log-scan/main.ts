import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatLogScanReport, scanLogDir } from './scan-log-dir.js';

/**
 * `npm run log-scan [dir]`: scans a test run's tee folder (default: the newest under
 * `.test-logs/`) for leaked secrets; exit 1 when something leaked or the folder holds too few log
 * lines. `npm test` runs the same scan after mocha.
 */
async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  let dir = process.argv[2];
  if (dir === undefined) {
    const runs = (await readdir(path.join(root, '.test-logs')).catch(() => [] as string[])).sort();
    if (runs.length === 0) throw new Error('no test run under .test-logs/: run npm test first, or name a folder');
    dir = path.join(root, '.test-logs', runs[runs.length - 1]!);
  }
  const report = await scanLogDir(path.resolve(dir));
  console.log(formatLogScanReport(dir, report));
  process.exitCode = report.ok ? 0 : 1;
}

await main().catch((err: unknown) => {
  console.error(`log-scan: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
});
