import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { PlatformFixture } from '@hfit/builds/testing';
import { QUEUE_NAMES, type BuildView, type ExportProgress } from '@hfit/contracts';
import type { ObjectStore } from '@hfit/storage';
import { Queue, type JobState } from 'bullmq';

/** Polls `probe` every `everyMs` until it returns something other than undefined; throws naming `what` after `timeoutMs`. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Job `id` once it is in `state` (read after the state, so its fields are at least that recent).
 * A build record turns final just before its job leaves `active`, hence the wait.
 */
export async function jobIn<Q extends Queue>(queue: Q, id: string, state: JobState, timeoutMs = 5_000): Promise<NonNullable<Awaited<ReturnType<Q['getJob']>>>> {
  const job = await waitUntil(`job ${id} to be ${state}`, async () => ((await queue.getJobState(id)) === state ? queue.getJob(id) : undefined), timeoutMs);
  return job as NonNullable<Awaited<ReturnType<Q['getJob']>>>;
}

/**
 * Waits until the build job of `buildId` and every export job of it (`<id>.0`, `<id>.1`, …) have
 * left the queues for good (completed or failed), and answers the build job's state. A record
 * turns final before the job that wrote it removes the staging data and audits the finish, and a
 * sibling export may still be discarding its files, so a test checks those after this.
 */
export async function buildJobSettled(fx: Pick<PlatformFixture, 'redis' | 'prefix'>, buildId: string, timeoutMs = 10_000): Promise<JobState> {
  const builds = new Queue(QUEUE_NAMES.build, { connection: fx.redis, prefix: fx.prefix });
  const exports = new Queue(QUEUE_NAMES.export, { connection: fx.redis, prefix: fx.prefix });
  const settled = (state: JobState | 'unknown') => state === 'completed' || state === 'failed';
  try {
    return await waitUntil(
      `build ${buildId} and its export jobs to complete or fail`,
      async () => {
        for (let group = 0; ; group++) {
          const state = await exports.getJobState(`${buildId}.${group}`);
          if (state === 'unknown') break;
          if (!settled(state)) return undefined;
        }
        const state = await builds.getJobState(buildId);
        return state !== 'unknown' && settled(state) ? state : undefined;
      },
      timeoutMs,
    );
  } finally {
    await Promise.all([builds.close(), exports.close()]);
  }
}

/** Who holds job `id` (`processedBy`) while it is active; the state is read first, so the name is as recent. */
export async function activeHolder(queue: Queue, id: string): Promise<string | undefined> {
  if ((await queue.getJobState(id)) !== 'active') return undefined;
  return (await queue.getJob(id))?.processedBy;
}

/** Every key under `prefix`, in listing order. */
export async function listKeys(objects: ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of objects.list(prefix)) keys.push(o.key);
  return keys;
}

/**
 * Temp files of writes that never finished in a file-system object store (`.hfit-staging-*`, what a
 * killed process leaves; listing hides them), as paths relative to `root`.
 */
export async function abandonedUploads(root: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((e: unknown) =>
    (e as NodeJS.ErrnoException).code === 'ENOENT' ? [] : Promise.reject(e),
  );
  for (const e of entries) {
    if (e.isFile() && e.name.startsWith('.hfit-staging-')) found.push(path.relative(root, path.join(e.parentPath, e.name)));
  }
  return found.sort();
}

/**
 * Grows the fixture's `orders` table to `total` rows of the fixture's shape, server-side (MariaDB's
 * sequence engine: seconds for a million rows, where client-side INSERTs take far longer), so that
 * exporting the whole table takes long enough to interrupt.
 */
export async function fillOrders(fx: PlatformFixture, total: number): Promise<void> {
  const [row] = await fx.my.query<{ n: number | string }>('SELECT COALESCE(MAX(id), 0) AS n FROM orders');
  const from = Number(row!.n) + 1;
  if (from > total) return;
  await fx.my.exec(
    `INSERT INTO orders SELECT seq, seq % 10 + 1, (seq * 7) % 1000 + 0.25, CONCAT('note ', seq, ' ', REPEAT('x', seq % 40)) FROM seq_${from}_to_${total}`,
  );
}

/** Exports of {@link ordersTemplate} that read the whole `orders` table, in run order (the csv one is the slowest). */
export const ORDERS_EXPORTS = ['orders1.data.sql', 'orders2.data.sql', 'orders3.csv'] as const;

/**
 * A template reading the whole (filled) `orders` table three times, then `app.events` and one
 * invoice. With consistency `source`, export job 0 (group `source:shop_mysql`) streams for a second
 * or more; job 1 reads shop_pg, job 2 the volume. `$1` = the invoice's order id.
 */
export function ordersTemplate(mysqlDb: string, templateName: string): string {
  return `hfitVersion: 1
templateName: ${templateName}
packageName: ${templateName}_$1
exports:
  orders1.data.sql: { type: table-data, data: { dbms: shop_mysql, table: ${mysqlDb}.orders } }
  orders2.data.sql: { type: table-data, data: { dbms: shop_mysql, table: ${mysqlDb}.orders, filter: "customer_id > 0" } }
  orders3.csv: { type: table-data, data: { dbms: shop_mysql, table: ${mysqlDb}.orders, format: csv } }
  events.data.sql: { type: table-data, data: { dbms: shop_pg, table: app.events, format: copy } }
  invoice.txt: { type: file, data: { volume: invoices, path: "invoice_$1.txt" } }
`;
}

/** The export named `name` of a build view. */
export function exportOf(view: BuildView, name: string): ExportProgress {
  const e = view.progress.exports.find((x) => x.name === name);
  if (!e) throw new Error(`build ${view.id} has no export ${name}: ${JSON.stringify(view.progress.exports)}`);
  return e;
}
