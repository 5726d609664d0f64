import { parseTemplate } from '@hfit/templates';
import { expect } from 'chai';
import { runCli, runCommand } from '../../testing/run-command.js';
import { tempHome, type TempHome } from '../../testing/temp-home.js';
import PkgExample from './example.js';

describe('hfit pkg-example', () => {
  let home: TempHome;

  beforeEach(async () => {
    home = await tempHome();
  });

  afterEach(async () => {
    await home.dispose();
  });

  it('prints a commented template that parses, uses every export type and every prepare kind', async () => {
    const run = await runCli(['pkg-example'], { env: home.env });
    expect(run.exitCode, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^# hfit package template, format v1/);
    expect(run.stdout.split('\n').filter((l) => /#/.test(l)).length).to.be.greaterThan(15);
    const model = parseTemplate(run.stdout);
    expect(model.templateName).to.equal('order_incident');
    expect(model.requiredInputs).to.equal(1);
    expect([...new Set(model.exports.map((e) => e.type))].sort()).to.deep.equal(['dbcreate', 'file', 'files', 'table-create', 'table-data']);
    expect(model.prepare.map((s) => (s.from === 'input' ? 'input' : s.hdata.type))).to.deep.equal(['input', 'dbquery', 'volume']);
    const json = await runCommand<{ template: string }>(PkgExample, ['--json'], { env: home.env });
    expect(json.json<{ template: string }>().template).to.equal(run.stdout);
  });
});
