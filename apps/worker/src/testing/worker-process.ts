import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';

/** Path of the compiled worker entry point (`apps/worker/dist/main.js`). */
export const WORKER_MAIN = fileURLToPath(new URL('../main.js', import.meta.url));

/** How a worker process ended. */
export interface WorkerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** `Date.now()` when the exit was seen. */
  readonly at: number;
}

/** Options of {@link WorkerProcess.start}. */
export interface WorkerProcessOptions {
  /** Server config file (`HFIT_CONFIG`). */
  readonly configPath: string;
  /** Added to the test process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for the "worker started" log line (default 20 s). */
  readonly readyTimeoutMs?: number;
}

/** Keeps the end of a long output: enough to diagnose a failure, never the whole run. */
const MAX_OUTPUT = 200_000;

/**
 * A real worker process (`node apps/worker/dist/main.js`) for crash and shutdown tests: started with
 * `HFIT_CONFIG`, ready once it logs "worker started", killed with a real signal. Its stdout and
 * stderr are kept for diagnostics. Call {@link dispose} in `afterEach`: it SIGKILLs a process that
 * is still running and waits for it to exit.
 */
export class WorkerProcess {
  /** `host:pid`: what BullMQ stores as `job.processedBy` for jobs this process takes. */
  readonly name: string;
  /** Resolves when the process exits (never rejects). */
  readonly exited: Promise<WorkerExit>;
  private out = '';
  private exit: WorkerExit | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly label: string,
  ) {
    this.name = `${hostname()}:${child.pid}`;
    const keep = (chunk: Buffer) => {
      this.out += chunk.toString('utf8');
      if (this.out.length > MAX_OUTPUT) this.out = this.out.slice(-MAX_OUTPUT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal, at: Date.now() };
        resolve(this.exit);
      });
    });
  }

  /** Spawns a worker process and waits until it logs "worker started". */
  static async start(label: string, options: WorkerProcessOptions): Promise<WorkerProcess> {
    const child = spawn(process.execPath, [WORKER_MAIN], {
      env: { ...process.env, ...options.env, HFIT_CONFIG: options.configPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) {
      const error = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new Error(`worker process ${label} did not start: ${error.message}`);
    }
    const proc = new WorkerProcess(child, label);
    await proc.waitForLog('worker started', options.readyTimeoutMs ?? 20_000);
    return proc;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Whether the process has exited. */
  get running(): boolean {
    return this.exit === undefined;
  }

  /** Everything the process wrote (stdout and stderr interleaved; the last 200 kB). */
  get output(): string {
    return this.out;
  }

  /** Parsed JSON log lines whose `msg` contains `text`. */
  logs(text: string): Record<string, unknown>[] {
    const found: Record<string, unknown>[] = [];
    for (const line of this.out.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (typeof entry['msg'] === 'string' && entry['msg'].includes(text)) found.push(entry);
      } catch {
        // A line cut by the output limit or still being written.
      }
    }
    return found;
  }

  /** Waits for a log line whose message contains `text`; rejects with the output when it exits first. */
  async waitForLog(text: string, timeoutMs: number): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [entry] = this.logs(text);
      if (entry) return entry;
      if (!this.running) throw new Error(`worker process ${this.label} exited (${describeExit(this.exit!)}) before logging "${text}":\n${this.out}`);
      if (Date.now() > deadline) throw new Error(`worker process ${this.label} did not log "${text}" within ${timeoutMs} ms:\n${this.out}`);
      await sleep(25);
    }
  }

  /** Sends `signal` (no-op once exited). */
  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** Waits for the exit; rejects with the output after `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<WorkerExit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`worker process ${this.label} still running after ${timeoutMs} ms:\n${this.out}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILLs the process if it still runs and waits for its exit. */
  async dispose(): Promise<void> {
    this.kill('SIGKILL');
    await this.exited;
  }
}

/** Disposes `procs` (for `afterEach`); with `printOutput`, writes each one's output to stderr to diagnose a failed test. */
export async function stopAll(procs: readonly WorkerProcess[], printOutput: boolean): Promise<void> {
  await Promise.all(procs.map((p) => p.dispose()));
  if (!printOutput) return;
  for (const p of procs) console.error(`--- worker process ${p.label} (${p.name}, ${describeExit((await p.exited))}) output ---\n${p.output.slice(-20_000)}`);
}

/** `code 0` / `signal SIGKILL`, for messages. */
export function describeExit(exit: WorkerExit): string {
  return exit.signal === null ? `code ${exit.code}` : `signal ${exit.signal}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
