import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { closeAll, createRedisConnection, redisClosable, waitForRedisReady } from '@hfit/queue';
import { deleteKeysWithPrefix } from '@hfit/queue/testing';
import { BENCH_REDIS_URL } from './bench-build.js';
import { BENCH_DB, BENCH_SERVERS, benchTable } from './bench-tables.js';
import { best, ratio, runBenchChild, timeShell, type Run } from './measure.js';
import type { PackageChildResult } from './package-child.js';
import type { PlatformChildResult } from './platform-child.js';

/** One native dump of a table, gzipped. */
export interface NativeDump {
  readonly ms: number;
  readonly bytes: number;
  readonly command: string;
}

/** What {@link runPlatformSection} measured (times in ms). */
export interface PlatformReport {
  readonly rows: number;
  /** (a) `buildPackage` into a `DirectorySink` in one process: extraction only, uncompressed. */
  readonly inProcess: {
    readonly ms: number;
    readonly bytes: number;
    /** The deterministic tar.gz of that folder, written after it (same process). */
    readonly archiveMs: number;
    readonly archiveBytes: number;
    readonly peakRssMB: number;
  };
  /** (b) submit -> succeeded through build service + worker on Redis, fs storage (one process). */
  readonly platform: {
    readonly ms: number;
    /** createdAt -> finishedAt of the build record. */
    readonly recordMs: number;
    /** createdAt -> startedAt: until the worker took the build job. */
    readonly queuedMs: number;
    /** Each export job's own time (they run at once: two sources, `exportConcurrency` 2). */
    readonly exportMs: Record<string, number>;
    readonly artifactBytes: number;
    readonly peakRssMB: number;
  };
  /** (c) the native dumps piped into `gzip -6`. */
  readonly native: {
    readonly mysql: NativeDump;
    readonly postgres: NativeDump;
    /** Both dumps one after the other (as (a) runs its exports). */
    readonly sequentialMs: number;
    /** Both dumps at once (as the platform runs its two export jobs). */
    readonly concurrentMs: number;
  };
  /** Time ratios against the platform (b): above 1, (b) is faster. */
  readonly ratios: {
    readonly nativeSequentialToPlatform: number;
    readonly nativeConcurrentToPlatform: number;
    readonly inProcessToPlatform: number;
    readonly inProcessWithArchiveToPlatform: number;
  };
}

/** Options of {@link runPlatformSection}. */
export interface PlatformSectionOptions {
  /** Scratch folder of this section (removed at the end). */
  readonly dir: string;
  readonly rows: number;
  readonly batch: number;
  readonly repeat: number;
  readonly log: (line: string) => void;
}

/** Checks that every export of a build wrote all `rows` rows. */
function checkRows(what: string, got: Record<string, number>, rows: number): void {
  const bad = Object.entries(got).filter(([, n]) => n !== rows);
  if (Object.keys(got).length !== 2 || bad.length > 0) throw new Error(`${what}: expected 2 exports of ${rows} rows, got ${JSON.stringify(got)}`);
}

/**
 * Builds the bench template (the whole `rows`-row table of MariaDB as INSERTs and of PostgreSQL
 * as COPY) three ways, best of `repeat` each: (a) in-process `buildPackage` into a folder (then,
 * timed apart, the deterministic tar.gz of it), (b) through the build platform, submit to
 * succeeded, with the service and a worker in one fresh process on the local Redis (a unique
 * prefix per run, deleted afterwards) and an fs object store under `dir`, (c) `mysqldump | gzip -6`
 * and `pg_dump --data-only | gzip -6`, one after the other and both at once.
 */
export async function runPlatformSection(o: PlatformSectionOptions): Promise<PlatformReport> {
  await mkdir(o.dir, { recursive: true });
  const redis = createRedisConnection({ url: BENCH_REDIS_URL, role: 'queue', connectionName: 'hfit-bench-cleanup' });
  try {
    await waitForRedisReady(redis);
    const my = BENCH_SERVERS.mysql;
    const pgs = BENCH_SERVERS.postgres;
    const t = benchTable(o.rows);
    const mysqlCmd = `mysqldump -h ${my.host} -P ${my.port} -u ${my.user} --no-create-info --skip-triggers --single-transaction --skip-comments ${BENCH_DB} ${t} | gzip -6`;
    const pgCmd = `pg_dump -h ${pgs.host} -p ${pgs.port} -U ${pgs.user} --data-only -t public.${t} ${BENCH_DB} | gzip -6`;
    const myOut = path.join(o.dir, 'mysql.sql.gz');
    const pgOut = path.join(o.dir, 'pg.sql.gz');

    o.log('platform: (c) native dumps | gzip -6…');
    const nMy = await best(o.repeat, () => timeShell(`${mysqlCmd} > "${myOut}"`, myOut));
    const nPg = await best(o.repeat, () => timeShell(`${pgCmd} > "${pgOut}"`, pgOut));
    const both = `(${mysqlCmd} > "${myOut}") & a=$!; (${pgCmd} > "${pgOut}") & b=$!; wait $a; ra=$?; wait $b; rb=$?; [ $ra -eq 0 ] && [ $rb -eq 0 ]`;
    const nBoth: Run = await best(o.repeat, () => timeShell(both, pgOut));

    o.log('platform: (a) in-process buildPackage -> DirectorySink, then tar.gz…');
    let run = 0;
    const a = await best(o.repeat, async () => {
      const out = path.join(o.dir, `in-process-${run++}`);
      try {
        const r = await runBenchChild<PackageChildResult>('package-child.js', [String(o.rows), out, String(o.batch), 'archive']);
        checkRows('in-process build', r.rows, o.rows);
        return r;
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    });

    o.log('platform: (b) build service + worker on Redis, submit -> succeeded…');
    const b = await best(o.repeat, async () => {
      const work = path.join(o.dir, `platform-${run++}`);
      const prefix = `hfit-bench-${randomUUID()}`;
      try {
        await mkdir(path.join(work, 'tmp'), { recursive: true });
        // TMPDIR: the worker assembles the archive in the OS temp dir; keep it where cleanup looks.
        const r = await runBenchChild<PlatformChildResult>('platform-child.js', [String(o.rows), work, prefix, String(o.batch)], {
          env: { TMPDIR: path.join(work, 'tmp') },
        });
        checkRows('platform build', r.rows, o.rows);
        return r;
      } finally {
        // The child deletes its keys; this covers a child that died before it could.
        await deleteKeysWithPrefix(redis, prefix);
        await rm(work, { recursive: true, force: true });
      }
    });

    const withArchive = a.ms + (a.archiveMs ?? 0);
    return {
      rows: o.rows,
      inProcess: { ms: Math.round(a.ms), bytes: a.bytes, archiveMs: Math.round(a.archiveMs ?? 0), archiveBytes: a.archiveBytes ?? 0, peakRssMB: Math.round(a.maxRssMB) },
      platform: {
        ms: Math.round(b.ms),
        recordMs: b.recordMs,
        queuedMs: b.queuedMs,
        exportMs: b.exportMs,
        artifactBytes: b.artifactBytes,
        peakRssMB: Math.round(b.maxRssMB),
      },
      native: {
        mysql: { ms: Math.round(nMy.ms), bytes: nMy.bytes, command: mysqlCmd },
        postgres: { ms: Math.round(nPg.ms), bytes: nPg.bytes, command: pgCmd },
        sequentialMs: Math.round(nMy.ms + nPg.ms),
        concurrentMs: Math.round(nBoth.ms),
      },
      ratios: {
        nativeSequentialToPlatform: ratio(nMy.ms + nPg.ms, b.ms),
        nativeConcurrentToPlatform: ratio(nBoth.ms, b.ms),
        inProcessToPlatform: ratio(a.ms, b.ms),
        inProcessWithArchiveToPlatform: ratio(withArchive, b.ms),
      },
    };
  } finally {
    await closeAll([redisClosable(redis, 'redis (bench cleanup)')], { timeoutMs: 5_000 });
    await rm(o.dir, { recursive: true, force: true });
  }
}

/** Prints {@link PlatformReport} as a table. */
export function printPlatformSection(r: PlatformReport, repeat: number): void {
  const mb = (b: number) => (b / 1e6).toFixed(1);
  const s = (ms: number) => (ms / 1000).toFixed(2);
  const row = (label: string, ms: number, bytes: number | undefined, rss: number | undefined, vs: number) =>
    console.log(
      `${label.padEnd(58)}${s(ms).padStart(8)}${(bytes === undefined ? '' : mb(bytes)).padStart(10)}${(rss === undefined ? '' : `${rss} MB`).padStart(10)}${vs.toFixed(2).padStart(8)}x`,
    );
  const { inProcess: a, platform: b, native: n, ratios } = r;
  console.log(`\nplatform overhead: the bench template (whole ${r.rows.toLocaleString()}-row table, MariaDB INSERTs + PostgreSQL COPY), best of ${repeat}:`);
  console.log(`${''.padEnd(58)}  time s   size MB  peak RSS  ÷ (b)`);
  row('(a) in-process buildPackage -> DirectorySink (raw files)', a.ms, a.bytes, a.peakRssMB, ratios.inProcessToPlatform);
  row('    + deterministic tar.gz of that folder (a + archive)', a.ms + a.archiveMs, a.archiveBytes, undefined, ratios.inProcessWithArchiveToPlatform);
  row('(b) platform: submit -> succeeded (service + worker)', b.ms, b.artifactBytes, b.peakRssMB, 1);
  const exportsText = Object.entries(b.exportMs)
    .map(([k, ms]) => `${k} ${s(ms)} s`)
    .join(', ');
  console.log(`      queued ${s(b.queuedMs)} s; export jobs (run at once): ${exportsText}; record created -> finished ${s(b.recordMs)} s`);
  row('(c) native | gzip -6, one after the other', n.sequentialMs, n.mysql.bytes + n.postgres.bytes, undefined, ratios.nativeSequentialToPlatform);
  row('    native | gzip -6, both at once', n.concurrentMs, undefined, undefined, ratios.nativeConcurrentToPlatform);
  console.log(`      mysqldump | gzip -6 ${s(n.mysql.ms)} s (${mb(n.mysql.bytes)} MB), pg_dump | gzip -6 ${s(n.postgres.ms)} s (${mb(n.postgres.bytes)} MB)`);
  console.log('÷ (b) = that time / the platform time: native ÷ (b) is the bench\'s ratio (>= 1.00: the platform is as fast);');
  console.log('(a) ÷ (b) is the share of the platform time that extraction alone takes. hfit times are measured inside a');
  console.log('fresh process (the platform one polls every 20 ms); (b)\'s peak RSS covers service, worker and archive.');
}
