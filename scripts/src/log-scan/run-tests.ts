import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatLogScanReport, scanLogDir } from './scan-log-dir.js';

/** Marker in the titles of memory-bound tests (see {@link main}). */
const MEMORY_TAG = '@memory';

/** Test runs whose tee folders are kept under `.test-logs/` (older ones are removed). */
const KEEP_RUNS = 5;

/**
 * `npm test` (after the build): runs mocha (`.mocharc.json`; extra arguments are passed on) twice,
 * memory-bound tests (`@memory`) first in a process of their own, then the rest, with
 * `HFIT_LOG_TEE_DIR` set to a fresh `.test-logs/<timestamp>/`, so every logger of the run — in-process
 * apps, libraries, worker child processes — also writes all its lines there and fixtures register
 * their secrets there; then scans that folder. Exits non-zero when mocha failed or the scan did.
 */
async function main(): Promise<number> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const logs = path.join(root, '.test-logs');
  const dir = path.join(logs, new Date().toISOString().replace(/[:.]/g, '-'));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const runs = (await readdir(logs)).sort();
  for (const old of runs.slice(0, Math.max(0, runs.length - KEEP_RUNS))) await rm(path.join(logs, old), { recursive: true, force: true });

  const mocha = async (args: readonly string[]): Promise<number> => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules/.bin/mocha'), ...args, ...process.argv.slice(2)], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, HFIT_LOG_TEE_DIR: dir },
    });
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    return code ?? (signal === null ? 1 : 128);
  };
  // Tests titled `@memory` bound what an operation holds, measured over the whole process: they
  // run first, in a process of their own, so that no other suite's leftovers (connections, timers)
  // allocate during their measurements. Then everything else.
  const memoryStatus = await mocha(['--grep', MEMORY_TAG]);
  const restStatus = await mocha(['--grep', MEMORY_TAG, '--invert']);
  const mochaStatus = memoryStatus !== 0 ? memoryStatus : restStatus;

  const report = await scanLogDir(dir);
  console.log(`\n${formatLogScanReport(path.relative(root, dir), report)}`);
  return mochaStatus !== 0 ? mochaStatus : report.ok ? 0 : 1;
}

process.exitCode = await main().catch((err: unknown) => {
  console.error(`run-tests: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return 1;
});
