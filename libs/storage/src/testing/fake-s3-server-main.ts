/**
 * Child-process entry of {@link startFakeS3}: runs the fauxqs S3 emulator on 127.0.0.1 with a port
 * the OS picks, prints `{"endpoint": …}` on one line, and stops on SIGTERM or when the parent
 * closes stdin (so a crashed test run leaves no server behind). fauxqs's own `startFauxqs` listens
 * on 0.0.0.0, hence `buildApp` + `listen` here.
 */
import { buildApp } from 'fauxqs';

const app = buildApp({ logger: false });
const endpoint = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ endpoint })}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await app.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
