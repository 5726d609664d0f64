import { execFile, spawn } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * One measured run. `ms` is what is compared: the native tool's wall time (its start-up is a few
 * ms), and for hfit the work's own time inside its process (e.g. session open to last byte
 * written), which is what a running worker pays; `processMs` adds Node's start-up and module loading.
 */
export interface Run {
  readonly ms: number;
  readonly bytes: number;
  readonly processMs?: number;
  readonly maxRssMB?: number;
}

/**
 * Runs a shell command that writes `file` (bash with `pipefail`, so a failing dump in front of
 * `| gzip` fails the run), returning its wall time and the size of `file`. `file` is removed first:
 * `zip` would otherwise add to an existing archive.
 */
export async function timeShell(cmd: string, file: string): Promise<Run> {
  await rm(file, { force: true });
  const t0 = performance.now();
  await exec('bash', ['-o', 'pipefail', '-c', cmd], { maxBuffer: 1 << 20 });
  const ms = performance.now() - t0;
  return { ms, bytes: (await stat(file)).size };
}

/** Runs a native dump command (its stdout going to `file`), returning wall time and output size. */
export function native(cmd: string, file: string): Promise<Run> {
  return timeShell(`${cmd} > "${file}"`, file);
}

/** Best (fastest) of `n` runs: the least disturbed by other work on the machine. */
export async function best<T extends { readonly ms: number }>(n: number, f: () => Promise<T>): Promise<T> {
  let b: T | undefined;
  for (let i = 0; i < Math.max(1, n); i++) {
    const r = await f();
    if (!b || r.ms < b.ms) b = r;
  }
  return b!;
}

/** What a bench child process printed (its last stdout line, JSON), plus its wall time seen from here. */
export type ChildResult<T> = T & { readonly processMs: number };

/**
 * Runs `node <bench script> ...args` in a fresh process (fresh heap: its peak RSS is its work's
 * alone) and parses the JSON object it prints last. The child is killed (by its pid) after
 * `timeoutMs`; stderr is passed through.
 */
export async function runBenchChild<T>(
  script: string,
  args: readonly string[],
  options: { readonly env?: Record<string, string>; readonly timeoutMs?: number } = {},
): Promise<ChildResult<T>> {
  const t0 = performance.now();
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, script), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...options.env },
    });
    const timeoutMs = options.timeoutMs ?? 3_600_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} ${args.join(' ')} took longer than ${timeoutMs} ms: killed`));
    }, timeoutMs);
    let s = '';
    child.stdout.on('data', (d: Buffer) => (s += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(s);
      else reject(new Error(`${script} ${args.join(' ')} exited with ${code}`));
    });
  });
  const processMs = performance.now() - t0;
  const last = out.trimEnd().split('\n').at(-1) ?? '';
  return { ...(JSON.parse(last) as T), processMs };
}

/** Peak RSS of this process so far, in MiB. */
export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Megabytes (10^6 bytes) per second. */
export function mbPerSec(bytes: number, ms: number): number {
  return Number((bytes / 1e6 / (ms / 1000)).toFixed(1));
}

/** `a / b` with two decimals, the bench's ratio (native time / hfit time: >= 1 means hfit is at least as fast). */
export function ratio(a: number, b: number): number {
  return Number((a / b).toFixed(2));
}
