import { parseTemplate } from '@hfit/templates';
import { expect } from 'chai';
import { applyTemplatePatch } from './apply-template-patch.js';

const TEMPLATE = `---
# header comment
hfitVersion: 1
templateName: 'quoted'
projectName: "p" # project comment
prepare:
  - setVar: a   # first input
    from: input
    source: $1
exports:
  # above a.sql
  a.sql: {type: table-data, data: {dbms: s, table: db.t, filter: "WHERE a_very_long_column_name > 1 AND another_very_long_column_name < 2 AND x = \${a}"}}
  b.txt:
    type: file
    data:
      volume: v
      path: "x_\${a}.txt"
# trailing comment
`;

describe('applyTemplatePatch', () => {
  it('keeps quoting, flow maps, long lines, comments and order of untouched keys', () => {
    const { text, diff } = applyTemplatePatch(TEMPLATE, { projectName: 'q', packageName: 'pkg_$1' });
    expect(diff).to.deep.equal([
      { key: 'projectName', op: 'changed', before: 'p', after: 'q' },
      { key: 'packageName', op: 'added', after: 'pkg_$1' },
    ]);
    expect(text).to.equal(
      TEMPLATE.replace('projectName: "p"', 'projectName: "q"')
        .replace('a   # first input', 'a # first input')
        .replace('{type: table-data, data: {dbms: s, table: db.t, filter: "WHERE', '{ type: table-data, data: { dbms: s, table: db.t, filter: "WHERE')
        .replace('${a}"}}', '${a}" } }')
        .replace('# trailing comment', 'packageName: pkg_$1\n\n# trailing comment'),
    );
    expect(parseTemplate(text).packageName).to.equal('pkg_$1');
  });

  it('removes keys set to null and ignores null for absent keys', () => {
    const { text, diff } = applyTemplatePatch(TEMPLATE, { prepare: null, nothing: null });
    expect(diff).to.deep.equal([
      { key: 'prepare', op: 'removed', before: [{ setVar: 'a', from: 'input', source: '$1' }] },
    ]);
    expect(text).not.to.contain('prepare');
    expect(text).not.to.contain('nothing');
    expect(text).to.contain('# above a.sql');
  });

  it('replaces collections as a whole and reports before and after', () => {
    const prepare = [{ setVar: 'b', from: 'input', source: '$2' }];
    const { text, diff } = applyTemplatePatch(TEMPLATE, { prepare });
    expect(diff).to.deep.equal([
      { key: 'prepare', op: 'changed', before: [{ setVar: 'a', from: 'input', source: '$1' }], after: prepare },
    ]);
    expect(text).to.contain('prepare:\n  - setVar: b\n    from: input\n    source: $2\nexports:');
  });

  it('returns the input text itself and an empty diff when nothing changes', () => {
    const result = applyTemplatePatch(TEMPLATE, { projectName: 'p', templateName: 'quoted', gone: null });
    expect(result).to.deep.equal({ text: TEMPLATE, diff: [] });
  });

  it('quotes a string that would otherwise read as another type', () => {
    const { text } = applyTemplatePatch('hfitVersion: 1\nprojectName: plain\n', { projectName: '123' });
    expect(text).to.equal('hfitVersion: 1\nprojectName: "123"\n');
  });

  it('refuses values that are not JSON, listing each key', () => {
    expect(() => applyTemplatePatch(TEMPLATE, { a: undefined, b: Symbol('x'), c: 1 }))
      .to.throw()
      .that.satisfies((e: { code: string; details: { field?: string }[] }) => {
        expect(e.code).to.equal('REQUEST_INVALID');
        expect(e.details.map((d) => d.field)).to.deep.equal(['a', 'b']);
        return true;
      });
  });

  it('refuses to patch text that is not a YAML map', () => {
    expect(() => applyTemplatePatch('- a\n- b\n', { x: 1 })).to.throw().with.property('code', 'TEMPLATE_INVALID');
    expect(() => applyTemplatePatch('a: [1\n', { x: 1 })).to.throw().with.property('code', 'TEMPLATE_YAML');
  });
});
