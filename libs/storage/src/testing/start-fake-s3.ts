import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A running S3-compatible server for tests. */
export interface FakeS3 {
  /** `http://127.0.0.1:<port>`: use with `forcePathStyle: true`. */
  readonly endpoint: string;
  /** Stops the server and waits for its process to exit. */
  stop(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('./fake-s3-server-main.js', import.meta.url));

/**
 * Starts a real S3-compatible HTTP server (the fauxqs emulator, from npm) on loopback, in a child
 * process: objects it holds then do not count in the memory that tests of streaming measure.
 */
export async function startFakeS3(): Promise<FakeS3> {
  const child = spawn(process.execPath, [MAIN], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => String(line)),
    exited.then(([code]) => Promise.reject(new Error(`fake S3 server exited with code ${String(code)} before listening`))),
  ]);
  lines.close();
  const { endpoint } = JSON.parse(first) as { endpoint: string };
  return {
    endpoint,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
