import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { runCommand } from '../testing/run-command.js';
import { tempHome, type TempHome } from '../testing/temp-home.js';
import type { PreparedDataDir } from '../workspace/prepare-data-dir.js';
import Prepare from './prepare.js';

describe('hfit prepare', () => {
  let home: TempHome;
  let work: string;

  beforeEach(async () => {
    home = await tempHome();
    work = await mkdtemp(path.join(tmpdir(), 'hfit-cli-prepare-'));
  });

  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
    await home.dispose();
  });

  it('creates hfit-data/ with a .gitignore of *, !.gitignore and !*.yaml; run again it changes nothing', async () => {
    const dir = path.join(work, 'hfit-data');
    const first = await runCommand<PreparedDataDir>(Prepare, ['--dir', dir], { env: home.env });
    expect(first.exitCode, first.stderr).to.equal(0);
    expect(first.stdout).to.equal(`created ${dir}; .gitignore created\nnext: hfit pkg-example > ${dir}/my_template.yaml\n`);
    const text = await readFile(path.join(dir, '.gitignore'), 'utf8');
    expect(text.split('\n').filter((l) => !l.startsWith('#'))).to.deep.equal(['*', '!.gitignore', '!*.yaml', '']);
    const again = await runCommand<PreparedDataDir>(Prepare, ['--dir', dir, '--json'], { env: home.env });
    expect(again.json<PreparedDataDir>()).to.deep.include({ created: false, gitignoreStatus: 'unchanged' });
    expect(await readFile(path.join(dir, '.gitignore'), 'utf8')).to.equal(text);
  });

  it('keeps the lines of an existing .gitignore and appends the missing ones', async () => {
    const dir = path.join(work, 'data');
    await mkdir(dir);
    await writeFile(path.join(dir, '.gitignore'), 'local.env\n*');
    const run = await runCommand<PreparedDataDir>(Prepare, ['-d', dir, '--json'], { env: home.env });
    expect(run.json<PreparedDataDir>()).to.deep.include({ created: false, gitignoreStatus: 'updated' });
    expect(await readFile(path.join(dir, '.gitignore'), 'utf8')).to.equal('local.env\n*\n!.gitignore\n!*.yaml\n');
  });
});
