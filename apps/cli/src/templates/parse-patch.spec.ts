import { expect } from 'chai';
import { CliError } from '../errors/cli-error.js';
import { parsePatchArgs } from './parse-patch.js';

describe('parsePatchArgs: key=value as a merge patch', () => {
  it('reads values as YAML: strings keep $ and =, null removes, flow maps and lists', () => {
    expect(parsePatchArgs(['packageName=order_$1', 'projectName=null', 'note=a=b', 'prepare=[]', 'exports={a.sql: {type: dbcreate}}', 'empty='])).to.deep.equal({
      packageName: 'order_$1',
      projectName: null,
      note: 'a=b',
      prepare: [],
      exports: { 'a.sql': { type: 'dbcreate' } },
      empty: null,
    });
  });

  it('refuses a pair without a key or =, as a usage error', () => {
    for (const bad of ['packageName', '=x']) {
      expect(() => parsePatchArgs([bad]), bad).to.throw(CliError).with.property('exitCode', 2);
    }
  });
});
