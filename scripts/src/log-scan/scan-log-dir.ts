import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** File of the scanned folder listing registered secrets (`registerTestSecret`), one JSON string per line. */
export const SECRETS_FILE = 'secrets.list';

/** Registered secrets shorter than this are ignored: they would match ordinary text. */
const MIN_SECRET_LENGTH = 6;

/** Shapes of credentials that must never appear in a log or audit line, registered or not. */
export const LEAK_PATTERNS: readonly { readonly kind: string; readonly pattern: RegExp }[] = [
  // Three base64url parts, the first one a JSON object (`{"` = `eyJ`).
  { kind: 'JWT', pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/ },
  { kind: 'CI token', pattern: /hfit_ci_[A-Za-z0-9_-]+/ },
  { kind: 'private key', pattern: /PRIVATE KEY-----/ },
  // An Authorization header with a bearer value, as text or as JSON; `***` is pino's redaction.
  { kind: 'bearer token', pattern: /authorization["']?\s*[:=]\s*["']?\s*bearer\s+(?!\*\*\*)[^\s"',;]+/i },
];

/** One leak: where, what kind, and the value masked. */
export interface LeakHit {
  /** Relative to the scanned folder. */
  readonly file: string;
  readonly line: number;
  /** `registered secret`, or one of {@link LEAK_PATTERNS}' kinds. */
  readonly kind: string;
  readonly masked: string;
}

/** What {@link scanLogDir} found. */
export interface LogScanReport {
  /** True when nothing leaked and enough log lines were read for the scan to mean something. */
  readonly ok: boolean;
  readonly files: number;
  readonly lines: number;
  /** Lines of `*.log` files (the loggers' tee). */
  readonly logLines: number;
  /** Files under `audit/` (audit trails the tests wrote). */
  readonly auditFiles: number;
  readonly secretsRegistered: number;
  readonly hits: readonly LeakHit[];
  /** Why the scan does not count although nothing leaked (too few lines). */
  readonly vacuous?: string;
}

/** Options of {@link scanLogDir}. */
export interface ScanLogDirOptions {
  /** Fewer `*.log` lines than this fails the scan: a scan of nothing must not pass. Default 1000. */
  readonly minLogLines?: number;
  /** At most this many hits are kept (the count is exact). Default 200. */
  readonly maxHits?: number;
}

/** `abcd…yz (24 chars)`: enough to recognise a value, not enough to use it. */
export function maskSecret(value: string): string {
  if (value.length <= 8) return `${'*'.repeat(value.length)} (${value.length} chars)`;
  return `${value.slice(0, 4)}…${value.slice(-2)} (${value.length} chars)`;
}

/** Every regular file under `dir`, relative paths, sorted. */
async function filesUnder(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const child = path.join(rel, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(dir, child)));
    else if (entry.isFile()) out.push(child);
  }
  return out.sort();
}

/** The registered secrets, each with the forms it takes inside JSON log lines (escaped quotes, newlines). */
async function readSecrets(dir: string): Promise<{ value: string; forms: string[] }[]> {
  let text: string;
  try {
    text = await readFile(path.join(dir, SECRETS_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const value = JSON.parse(line) as unknown;
    if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) seen.add(value);
  }
  return [...seen].map((value) => ({ value, forms: [...new Set([value, JSON.stringify(value).slice(1, -1)])] }));
}

/**
 * Reads every file under `dir` (the test run's tee folder: every logger's lines, the audit trails
 * the tests wrote) and reports each line holding a registered secret (`secrets.list`), a
 * JWT-shaped string, an `hfit_ci_` token, a private key or an `Authorization: Bearer` value.
 */
export async function scanLogDir(dir: string, options: ScanLogDirOptions = {}): Promise<LogScanReport> {
  const minLogLines = options.minLogLines ?? 1000;
  const maxHits = options.maxHits ?? 200;
  const secrets = await readSecrets(dir);
  const hits: LeakHit[] = [];
  let hitCount = 0;
  let files = 0;
  let lines = 0;
  let logLines = 0;
  let auditFiles = 0;
  const hit = (h: LeakHit) => {
    hitCount += 1;
    if (hits.length < maxHits) hits.push(h);
  };
  for (const file of await filesUnder(dir)) {
    if (file === SECRETS_FILE) continue;
    files += 1;
    const isLog = file.endsWith('.log');
    if (file.split(path.sep)[0] === 'audit') auditFiles += 1;
    let n = 0;
    const input = createInterface({ input: createReadStream(path.join(dir, file), { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const text of input) {
      n += 1;
      for (const secret of secrets) {
        if (secret.forms.some((f) => text.includes(f))) hit({ file, line: n, kind: 'registered secret', masked: maskSecret(secret.value) });
      }
      for (const { kind, pattern } of LEAK_PATTERNS) {
        const found = pattern.exec(text);
        if (found !== null) hit({ file, line: n, kind, masked: maskSecret(found[0]) });
      }
    }
    lines += n;
    if (isLog) logLines += n;
  }
  const vacuous = logLines < minLogLines ? `only ${logLines} log lines (at least ${minLogLines} expected): the loggers did not write to the tee folder` : undefined;
  return {
    ok: hitCount === 0 && vacuous === undefined,
    files,
    lines,
    logLines,
    auditFiles,
    secretsRegistered: secrets.length,
    hits: hitCount > hits.length ? [...hits, { file: '…', line: 0, kind: `${hitCount - hits.length} more`, masked: '' }] : hits,
    ...(vacuous === undefined ? {} : { vacuous }),
  };
}

/** The report as text: one summary line, then one line per hit. */
export function formatLogScanReport(dir: string, report: LogScanReport): string {
  const summary =
    `log scan of ${dir}: ${report.files} files, ${report.lines} lines (${report.logLines} log lines, ${report.auditFiles} audit files), ` +
    `${report.secretsRegistered} secrets registered, ${report.hits.length === 0 ? 'no' : report.hits.length} leak${report.hits.length === 1 ? '' : 's'} found`;
  const out = [summary];
  for (const h of report.hits) out.push(`  ${h.file}:${h.line}: ${h.kind} ${h.masked}`);
  if (report.vacuous !== undefined) out.push(`  scan does not count: ${report.vacuous}`);
  out.push(report.ok ? 'log scan: passed' : 'log scan: FAILED');
  return out.join('\n');
}
