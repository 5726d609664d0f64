import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ArchiveChildResult } from './archive-child.js';
import { best, mbPerSec, ratio, runBenchChild, timeShell } from './measure.js';
import type { PackageChildResult } from './package-child.js';

const exec = promisify(execFile);

/** One format: hfit's deterministic archive against the native tool on the same folder. */
export interface ArchiveCase {
  readonly format: 'tar.gz' | 'zip';
  /** zlib level of both sides (the platform's default for the format). */
  readonly level: number;
  readonly hfitMs: number;
  readonly hfitBytes: number;
  readonly hfitMBps: number;
  readonly hfitPeakRssMB: number;
  readonly nativeMs: number;
  readonly nativeBytes: number;
  readonly nativeMBps: number;
  /** native time / hfit time. */
  readonly ratio: number;
  readonly nativeCommand: string;
}

/** What {@link runArchiveSection} measured. */
export interface ArchiveReport {
  /** What was archived: the bench template's package, built in-process. */
  readonly inputBytes: number;
  readonly files: number;
  readonly cases: readonly ArchiveCase[];
  /** Formats not measured, with the reason. */
  readonly skipped: readonly string[];
}

/** Options of {@link runArchiveSection}. */
export interface ArchiveSectionOptions {
  /** Scratch folder of this section (removed at the end). */
  readonly dir: string;
  readonly rows: number;
  readonly batch: number;
  readonly repeat: number;
  readonly log: (line: string) => void;
}

/** Whether `zip` (Info-ZIP) can be run here. */
async function haveZip(): Promise<boolean> {
  return exec('zip', ['-v']).then(
    () => true,
    () => false,
  );
}

/**
 * Archives one package folder (the bench template's two 1M-row exports and its manifest, a few
 * hundred MB of real SQL and COPY text) with `writeDeterministicArchive` at the platform's default
 * levels (tar.gz 6, zip 1), each run in a fresh process for its peak RSS, against GNU tar piped
 * into `gzip -6` and `zip -1 -r` on the same files. Best of `repeat` runs each; input files are in
 * the page cache for both sides.
 */
export async function runArchiveSection(o: ArchiveSectionOptions): Promise<ArchiveReport> {
  await mkdir(o.dir, { recursive: true });
  try {
    o.log(`archive: building the input package (bench template, ${o.rows.toLocaleString()} rows per table) in-process…`);
    const pkg = await runBenchChild<PackageChildResult>('package-child.js', [String(o.rows), path.join(o.dir, 'in'), String(o.batch)]);
    const parent = path.dirname(pkg.packageDir);
    const name = path.basename(pkg.packageDir);
    const cases: ArchiveCase[] = [];
    const skipped: string[] = [];
    let files = 0;
    const formats = [
      { format: 'tar.gz', level: 6, native: (out: string) => `tar -cf - -C "${parent}" "${name}" | gzip -6 > "${out}"` },
      { format: 'zip', level: 1, native: (out: string) => `cd "${parent}" && zip -1 -r -q -X "${out}" "${name}"` },
    ] as const;
    for (const f of formats) {
      if (f.format === 'zip' && !(await haveZip())) {
        skipped.push('zip: the zip command is not installed');
        o.log('  zip: `zip` is not installed here, skipped');
        continue;
      }
      o.log(`  ${f.format} (level ${f.level}) vs ${f.format === 'zip' ? 'zip' : 'tar | gzip'}…`);
      const out = path.join(o.dir, `out.${f.format}`);
      const h = await best(o.repeat, () => runBenchChild<ArchiveChildResult>('archive-child.js', [f.format, pkg.packageDir, out]));
      const n = await best(o.repeat, () => timeShell(f.native(out), out));
      files = h.files;
      cases.push({
        format: f.format,
        level: f.level,
        hfitMs: Math.round(h.ms),
        hfitBytes: h.bytes,
        hfitMBps: mbPerSec(h.inputBytes, h.ms),
        hfitPeakRssMB: Math.round(h.maxRssMB),
        nativeMs: Math.round(n.ms),
        nativeBytes: n.bytes,
        nativeMBps: mbPerSec(pkg.bytes, n.ms),
        ratio: ratio(n.ms, h.ms),
        nativeCommand: f.native('<out>'),
      });
    }
    return { inputBytes: pkg.bytes, files, cases, skipped };
  } finally {
    await rm(o.dir, { recursive: true, force: true });
  }
}

/** Prints {@link ArchiveReport} as a table. */
export function printArchiveSection(r: ArchiveReport, repeat: number): void {
  const mb = (b: number) => (b / 1e6).toFixed(1);
  const s = (ms: number) => (ms / 1000).toFixed(2);
  console.log(`\narchive of one package folder: ${mb(r.inputBytes)} MB in ${r.files} files (best of ${repeat}; MB = 10^6 bytes):`);
  console.log('format  level    hfit s   MB/s   size MB   native s   MB/s   size MB   ratio  hfit peak RSS');
  for (const c of r.cases)
    console.log(
      `${c.format.padEnd(8)}${String(c.level).padStart(5)}${s(c.hfitMs).padStart(10)}${c.hfitMBps.toFixed(1).padStart(7)}${mb(c.hfitBytes).padStart(10)}` +
        `${s(c.nativeMs).padStart(11)}${c.nativeMBps.toFixed(1).padStart(7)}${mb(c.nativeBytes).padStart(10)}${c.ratio.toFixed(2).padStart(7)}x${String(c.hfitPeakRssMB).padStart(11)} MB`,
    );
  for (const why of r.skipped) console.log(`  skipped ${why}`);
  for (const c of r.cases) console.log(`  native ${c.format}: ${c.nativeCommand}`);
  console.log('ratio = native wall time / hfit archive time; MB/s = input MB / time; hfit runs in a fresh process (time');
  console.log('measured inside it: the archive writer, sha256 included), the native tools are timed as commands.');
}
