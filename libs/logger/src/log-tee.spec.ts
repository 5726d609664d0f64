import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createLogger } from './create-logger.js';
import { LOG_TEE_DIR_ENV } from './log-tee.js';

describe('createLogger with HFIT_LOG_TEE_DIR (the test log tee)', () => {
  let dir: string;
  let saved: string | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hfit-tee-'));
    saved = process.env[LOG_TEE_DIR_ENV];
    process.env[LOG_TEE_DIR_ENV] = dir;
  });
  afterEach(async () => {
    if (saved === undefined) delete process.env[LOG_TEE_DIR_ENV];
    else process.env[LOG_TEE_DIR_ENV] = saved;
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every level of silent and captured loggers to <name>.<pid>.log, redacted; the destination keeps its level', async () => {
    const kept: string[] = [];
    const captured = createLogger({ name: 'tee-test/captured', level: 'warn', destination: { write: (l: string) => void kept.push(l) } });
    const silent = createLogger({ name: 'tee-test-silent', level: 'silent' });
    captured.trace('t1');
    captured.info({ password: 'pw-tee-1' }, 'i1');
    captured.warn('w1');
    silent.debug({ headers: { authorization: 'Bearer tee-abc' } }, 'd1');
    silent.child({ job: 7 }).info('c1');
    expect(kept.map((l) => (JSON.parse(l) as { msg: string }).msg)).to.deep.equal(['w1']);
    expect((await readdir(dir)).sort()).to.deep.equal([`tee-test-silent.${process.pid}.log`, `tee-test_captured.${process.pid}.log`]);
    const lines = (await readFile(path.join(dir, `tee-test_captured.${process.pid}.log`), 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).to.deep.equal(['t1', 'i1', 'w1']);
    const silentText = await readFile(path.join(dir, `tee-test-silent.${process.pid}.log`), 'utf8');
    expect(silentText).to.include('"msg":"d1"').and.include('"job":7');
    for (const secret of ['pw-tee-1', 'tee-abc']) expect(lines.join('\n') + silentText).not.to.include(secret);
  });

  it('writes nothing to disk when the variable is not set', async () => {
    delete process.env[LOG_TEE_DIR_ENV];
    const kept: string[] = [];
    createLogger({ name: 'tee-test-off', level: 'info', destination: { write: (l: string) => void kept.push(l) } }).info('x');
    expect(kept).to.have.length(1);
    expect(await readdir(dir)).to.deep.equal([]);
  });
});
