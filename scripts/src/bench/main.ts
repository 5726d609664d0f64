import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { printArchiveSection, runArchiveSection, type ArchiveReport } from './archive-section.js';
import { BENCH_DB, BENCH_SERVERS, benchTable, ensureMysqlTable, ensurePostgresTable } from './bench-tables.js';
import { best, native, runBenchChild, type Run } from './measure.js';
import { printPlatformSection, runPlatformSection, type PlatformReport } from './platform-section.js';

const USAGE = `npm run bench -- [options]

  --rows N          rows of the benchmark tables (default 1000000)
  --batch N         rows per INSERT (default 1000)
  --repeat N        runs per measurement, the best is kept (default 2)
  --skip-exports    skip the table exports vs mysqldump / pg_dump
  --skip-archive    skip the deterministic tar.gz / zip vs tar | gzip -6 and zip -1
  --skip-platform   skip the build platform overhead (in-process, platform, native | gzip -6)
  --skip-flat       skip the peak-RSS check at --rows vs --flat-rows (default 5000000)
  --json            print the figures as one JSON object on the last stdout line (progress on stderr)
  --help            this text`;

/** Runs hfit's export in a child process (fresh heap: its peak RSS is the export's). */
async function hfit(type: 'mysql' | 'postgres', format: string, rows: number, file: string, batch: number): Promise<Run> {
  const r = await runBenchChild<{ rows: number; ms: number; maxRssMB: number }>('export-child.js', [type, format, String(rows), file, String(batch)]);
  if (r.rows !== rows) throw new Error(`hfit exported ${r.rows} rows, expected ${rows}`);
  return { ms: r.ms, processMs: r.processMs, bytes: (await stat(file)).size, maxRssMB: r.maxRssMB };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      rows: { type: 'string', default: '1000000' },
      'flat-rows': { type: 'string', default: '5000000' },
      'skip-flat': { type: 'boolean', default: false },
      'skip-exports': { type: 'boolean', default: false },
      'skip-archive': { type: 'boolean', default: false },
      'skip-platform': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
      batch: { type: 'string', default: '1000' },
      repeat: { type: 'string', default: '2' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const rows = Number(values.rows);
  const flatRows = Number(values['flat-rows']);
  const batch = Number(values.batch);
  const repeat = Number(values.repeat);
  const log = (s: string) => (values.json ? process.stderr.write(`${s}\n`) : console.log(s));
  const dir = await mkdtemp(path.join(tmpdir(), 'hfit-bench-'));
  const my = BENCH_SERVERS.mysql;
  const pgs = BENCH_SERVERS.postgres;
  try {
    log(`preparing ${rows.toLocaleString()}-row mixed-type tables (MariaDB ${BENCH_DB}, PostgreSQL ${BENCH_DB}.public)…`);
    await ensureMysqlTable(rows);
    await ensurePostgresTable(rows);
    const t = benchTable(rows);
    const cases = [
      {
        name: 'mysql sql vs mysqldump',
        native: `mysqldump -h ${my.host} -P ${my.port} -u ${my.user} --no-create-info --skip-triggers --single-transaction --skip-comments ${BENCH_DB} ${t}`,
        type: 'mysql' as const,
        format: 'sql',
      },
      {
        name: `pg sql vs pg_dump --inserts --rows-per-insert=${batch}`,
        native: `pg_dump -h ${pgs.host} -p ${pgs.port} -U ${pgs.user} --data-only --inserts --rows-per-insert=${batch} -t public.${t} ${BENCH_DB}`,
        type: 'postgres' as const,
        format: 'sql',
      },
      {
        name: 'pg copy vs pg_dump --data-only',
        native: `pg_dump -h ${pgs.host} -p ${pgs.port} -U ${pgs.user} --data-only -t public.${t} ${BENCH_DB}`,
        type: 'postgres' as const,
        format: 'copy',
      },
    ];
    const results = [];
    for (const c of values['skip-exports'] ? [] : cases) {
      log(`  ${c.name}…`);
      const n = await best(repeat, () => native(c.native, path.join(dir, 'native.out')));
      const h = await best(repeat, () => hfit(c.type, c.format, rows, path.join(dir, 'hfit.out'), batch));
      results.push({
        case: c.name,
        rows,
        nativeRowsPerSec: Math.round(rows / (n.ms / 1000)),
        hfitRowsPerSec: Math.round(rows / (h.ms / 1000)),
        ratio: Number((n.ms / h.ms).toFixed(2)),
        ratioWithNodeStartup: Number((n.ms / (h.processMs ?? h.ms)).toFixed(2)),
        nativeBytes: n.bytes,
        hfitBytes: h.bytes,
        hfitPeakRssMB: Math.round(h.maxRssMB ?? 0),
        nativeCommand: c.native,
      });
    }
    let archive: ArchiveReport | null = null;
    if (!values['skip-archive']) archive = await runArchiveSection({ dir: path.join(dir, 'archive'), rows, batch, repeat, log });
    let platform: PlatformReport | null = null;
    if (!values['skip-platform']) platform = await runPlatformSection({ dir: path.join(dir, 'platform'), rows, batch, repeat, log });
    const flat: { format: string; type: string; rows: number; peakRssMB: number }[] = [];
    if (!values['skip-flat']) {
      log(`checking peak RSS stays flat: ${rows.toLocaleString()} vs ${flatRows.toLocaleString()} rows…`);
      await ensureMysqlTable(flatRows);
      await ensurePostgresTable(flatRows);
      for (const [type, format] of [['mysql', 'sql'], ['postgres', 'sql'], ['postgres', 'copy']] as const) {
        for (const n of [rows, flatRows]) {
          const r = await hfit(type, format, n, path.join(dir, 'flat.out'), batch);
          flat.push({ type, format, rows: n, peakRssMB: Math.round(r.maxRssMB ?? 0) });
        }
      }
    }
    const report = { node: process.version, batch, results, archive, platform, rssFlatness: flat };
    if (values.json) {
      process.stdout.write(JSON.stringify(report) + '\n');
      return;
    }
    if (results.length) {
      console.log('\ncase                                              native rows/s   hfit rows/s   ratio  (+node start)  hfit peak RSS');
      for (const r of results)
        console.log(
          `${r.case.padEnd(50)}${String(r.nativeRowsPerSec).padStart(13)}${String(r.hfitRowsPerSec).padStart(14)}${r.ratio.toFixed(2).padStart(7)}x${r.ratioWithNodeStartup.toFixed(2).padStart(13)}x${String(r.hfitPeakRssMB).padStart(12)} MB`,
        );
      console.log('ratio = native wall time / hfit export time (>= 1.00: hfit is at least as fast); hfit time is measured');
      console.log('inside its process, as a running worker pays it; "+node start" adds Node start-up. Best of', repeat, 'runs.');
    }
    if (archive) printArchiveSection(archive, repeat);
    if (platform) printPlatformSection(platform, repeat);
    if (flat.length) {
      console.log('\npeak RSS of one export process by table size:');
      for (const f of flat) console.log(`  ${f.type} ${f.format.padEnd(5)} ${String(f.rows).padStart(9)} rows: ${f.peakRssMB} MB`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
