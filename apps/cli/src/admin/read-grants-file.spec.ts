import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { CliError } from '../errors/cli-error.js';
import { readGrantsFile } from './read-grants-file.js';

describe('readGrantsFile: a YAML list of grants, checked field by field', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hfit-cli-grants-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(text: string): Promise<string> {
    const f = path.join(dir, 'grants.yaml');
    await writeFile(f, text);
    return f;
  }

  it('reads grants with defaults for the lists not given; an empty file is no grants', async () => {
    const f = await file('- actions: [browse, rows]\n  tables: ["shop_mysql/shop/*"]\n- actions: [build, download]\n  packages: [order-*]\n');
    expect(await readGrantsFile(f)).to.deep.equal([
      { actions: ['browse', 'rows'], tables: ['shop_mysql/shop/*'], volumes: [], packages: [], builds: [], templates: [] },
      { actions: ['build', 'download'], tables: [], volumes: [], packages: ['order-*'], builds: [], templates: [] },
    ]);
    expect(await readGrantsFile(await file('# nothing\n'))).to.deep.equal([]);
  });

  it('names the field and line of every problem; the first is the message, exit 2', async () => {
    const f = await file('- actions: [browse]\n- actions: [browse, fly]\n  tables: shop\n  colour: blue\n');
    const e = (await readGrantsFile(f).catch((x: unknown) => x)) as CliError;
    expect(e.message).to.equal(`${f}: grants[1].actions[1], line 2: must be one of: browse, rows, files, build, download, admin (and 2 more)`);
    expect(e).to.include({ code: 'GRANTS_INVALID', exitCode: 2 });
    expect(e.data['problems']).to.deep.equal([
      { field: 'grants[1].actions[1]', line: 2, message: 'must be one of: browse, rows, files, build, download, admin' },
      { field: 'grants[1].tables', line: 3, message: 'must be a list, not a string' },
      { field: 'grants[1]', line: 2, message: 'has unknown field(s) colour' },
    ]);
  });

  it('refuses a map, bad YAML and a missing file', async () => {
    const map = await file('actions: [browse]\n');
    expect(((await readGrantsFile(map).catch((x: unknown) => x)) as Error).message).to.equal(`${map}: grants, line 1: must be a list of grants (each item \`- actions: [...]\`)`);
    const bad = await file('- actions: [browse\n');
    expect(((await readGrantsFile(bad).catch((x: unknown) => x)) as Error).message).to.match(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line \\d+: YAML syntax error \\(\\w+\\)`));
    const missing = path.join(dir, 'nope.yaml');
    expect(((await readGrantsFile(missing).catch((x: unknown) => x)) as Error).message).to.equal(`cannot read grants file ${missing}: no such file`);
  });
});
