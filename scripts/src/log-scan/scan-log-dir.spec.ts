import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { formatLogScanReport, maskSecret, scanLogDir, SECRETS_FILE } from './scan-log-dir.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));

/** `n` harmless pino-like lines. */
function clean(n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => JSON.stringify({ level: 30, time: '2026-11-24T10:00:00.000Z', name: 'api', msg: `request ${from + i} completed`, req: { headers: { authorization: '***' } } }));
}

describe('log scan (scanLogDir)', () => {
  let dir: string;
  beforeEach(async () => {
    // Never the run's tee folder: these planted secrets must only fail this folder's scan.
    dir = await mkdtemp(path.join(tmpdir(), 'hfit-log-scan-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds planted registered secrets (plain and JSON-escaped), JWTs, CI tokens, private keys and bearer headers, with file:line, masked', async () => {
    const password = 'pw-Qx7!"quoted"-Zr9';
    const pem = '-----BEGIN OPENSSH KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH KEY-----';
    const jwt = 'eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIn0.eyJzdWIiOiJhbGljZSIsImV4cCI6MX0.AAAAbbbbCCCCdddd';
    await writeFile(path.join(dir, SECRETS_FILE), `${JSON.stringify(password)}\n${JSON.stringify(pem)}\n${JSON.stringify('short')}\n`);
    const lines = clean(1000);
    lines[10] = JSON.stringify({ msg: 'connecting', url: `mysql://ro:${password}@db` });
    lines[20] = JSON.stringify({ msg: 'loaded key', key: pem });
    lines[30] = `{"msg":"token issued","token":"${jwt}"}`;
    lines[40] = '{"msg":"created","ci":"hfit_ci_0123456789abcdef"}';
    lines[50] = '{"msg":"key","text":"-----BEGIN PRIVATE KEY-----"}';
    lines[60] = '{"req":{"headers":{"authorization":"Bearer opaque-token-123"}}}';
    lines[70] = 'GET /x Authorization: Bearer abc.def';
    lines[80] = '{"msg":"the word short and a Bearer realm are fine, as is authorization: Bearer ***"}';
    await writeFile(path.join(dir, 'api.123.log'), `${lines.join('\n')}\n`);
    await mkdir(path.join(dir, 'audit', 'run1'), { recursive: true });
    await writeFile(path.join(dir, 'audit', 'run1', 'audit-2026-11-24.h.jsonl'), `{"event":{"detail":"${password.replace(/"/g, '\\"')}"}}\n`);

    const report = await scanLogDir(dir);
    expect(report).to.deep.include({ ok: false, files: 2, lines: 1001, logLines: 1000, auditFiles: 1, secretsRegistered: 2 });
    expect(report.hits.map((h) => `${h.file}:${h.line} ${h.kind}`)).to.deep.equal([
      'api.123.log:11 registered secret',
      'api.123.log:21 registered secret',
      'api.123.log:31 JWT',
      'api.123.log:41 CI token',
      'api.123.log:51 private key',
      'api.123.log:61 bearer token',
      'api.123.log:71 bearer token',
      `${path.join('audit', 'run1', 'audit-2026-11-24.h.jsonl')}:1 registered secret`,
    ]);
    const text = formatLogScanReport(dir, report);
    for (const secret of [password, jwt, 'hfit_ci_0123456789abcdef', 'opaque-token-123', 'b3BlbnNzaC1rZXktdjEAAAAA']) expect(text).not.to.include(secret);
    expect(text).to.include(maskSecret(password)).and.include('log scan: FAILED');

    // The command: exit 1, the report on stdout.
    const failed = await promisify(execFile)(process.execPath, [MAIN, dir]).then(
      () => undefined,
      (e: unknown) => e as { code: number; stdout: string },
    );
    expect(failed?.code).to.equal(1);
    expect(failed?.stdout).to.include(`api.123.log:31: JWT ${maskSecret(jwt)}`);
  });

  it('passes a clean folder with enough log lines, and fails one with too few (a vacuous scan)', async () => {
    await writeFile(path.join(dir, SECRETS_FILE), `${JSON.stringify('alice-token-0123456789')}\n`);
    await writeFile(path.join(dir, 'worker.1.log'), `${clean(600).join('\n')}\n`);
    const few = await scanLogDir(dir);
    expect(few).to.deep.include({ ok: false, hits: [], logLines: 600 });
    expect(few.vacuous).to.match(/only 600 log lines/);
    await writeFile(path.join(dir, 'api.2.log'), `${clean(400, 600).join('\n')}\n`);
    const enough = await scanLogDir(dir);
    expect(enough).to.deep.include({ ok: true, hits: [], files: 2, logLines: 1000, secretsRegistered: 1 });
    expect(formatLogScanReport(dir, enough)).to.match(/2 files, 1000 lines .* 1 secrets registered, no leaks found\nlog scan: passed$/);
  });

  it('masks values: a prefix, a suffix and the length', () => {
    expect(maskSecret('alice-token-4f1d2c3b5a69')).to.equal('alic…69 (24 chars)');
    expect(maskSecret('short')).to.equal('***** (5 chars)');
  });
});
