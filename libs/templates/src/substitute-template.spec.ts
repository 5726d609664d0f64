import { thrownHfitError } from '@hfit/contracts/testing';
import { expect } from 'chai';
import { questionMarkPlaceholder, renderQuery } from './bind-query.js';
import { parseTemplate } from './parse-template.js';
import { REFERENCE_EXAMPLE } from './reference-example.fixture.js';
import { substituteStep, substituteTemplate } from './substitute-template.js';
import type { SubstitutionContext } from './substitution-context.js';

const vars = (o: Record<string, string>) => new Map(Object.entries(o));

describe('substituteTemplate', () => {
  it('substitutes the REFERENCE.md example, binding the filter', () => {
    const t = parseTemplate(REFERENCE_EXAMPLE);
    const r = substituteTemplate(t, { inputs: ['42'], vars: vars({ dataid: '42', usrId: 'u7', fBaseName: '2024' }) });
    expect(r.packageName).to.equal('basedata_42');
    expect(r.exports.map((e) => e.name)).to.deep.equal([
      'dbcreate.sql',
      'tablegroup1.create.sql',
      'tabledata1.data.sql',
      'target-filename.txt',
    ]);
    const file = r.exports[3]!;
    expect(file.type === 'file' && file.data.path).to.equal('relative/path/to/file_42_u7_2024.txt');
    const data = r.exports[2]!;
    if (data.type !== 'table-data') throw new Error('expected table-data');
    expect(data.data.filter).to.deep.equal({ parts: ['key<34 AND key>12'], params: [] });
  });

  it('substitutes keys, packageName, nested data, lists and globs (escaping glob values)', () => {
    const t = parseTemplate(
      [
        'hfitVersion: 1',
        'templateName: t',
        'packageName: "pkg_${env}_$1"',
        'prepare:',
        '  - { setVar: env, from: input, source: "$2" }',
        '  - { setVar: db, from: input, source: "shop_${env}" }',
        'exports:',
        '  "${db}/create.sql": { type: table-create, data: { dbms: "src_${env}", tablelist: ["${db}.orders", "${db}.items"] } }',
        '  "rows_$1.csv": { type: table-data, data: { dbms: s, table: "${db}.orders", filter: "WHERE id = $1 AND env = ${env}", format: csv } }',
        '  "logs": { type: files, data: { volume: v, glob: "**/*_${env}_*.log" } }',
        '  "img": { type: files, data: { volume: v, glob: "*.png", dir: "images/${env}" } }',
        '',
      ].join('\n'),
    );
    const ctx: SubstitutionContext = { inputs: ['9', 'p+d'], vars: vars({ env: 'p+d', db: 'shop_p+d' }) };
    const r = substituteTemplate(t, ctx);
    expect(r.packageName).to.equal('pkg_p+d_9');
    const [ddl, rows, logs, img] = r.exports;
    expect(ddl).to.deep.include({ key: '${db}/create.sql', name: 'shop_p+d/create.sql' });
    expect(ddl!.data).to.deep.equal({ dbms: 'src_p+d', tablelist: ['shop_p+d.orders', 'shop_p+d.items'], option: undefined });
    if (rows?.type !== 'table-data' || !rows.data.filter) throw new Error('expected a filter');
    expect(rows.name).to.equal('rows_9.csv');
    expect(rows.data.table).to.equal('shop_p+d.orders');
    expect(renderQuery(rows.data.filter, questionMarkPlaceholder)).to.deep.equal({ sql: 'id = ? AND env = ?', params: ['9', 'p+d'] });
    expect(logs).to.deep.include({ name: 'logs', data: { volume: 'v', glob: '**/*_p\\+d_*.log', dir: 'logs' } });
    expect(img).to.deep.include({ name: 'images/p+d', data: { volume: 'v', glob: '*.png', dir: 'images/p+d' } });
  });

  it('reports a missing input with the field and line', () => {
    const t = parseTemplate('hfitVersion: 1\ntemplateName: t\nexports:\n  "a_$2.txt": { type: file, data: { volume: v, path: p } }\n');
    expect(t.requiredInputs).to.equal(2);
    const e = thrownHfitError(() => substituteTemplate(t, { inputs: ['only-one'], vars: new Map() }));
    expect(e.code).to.equal('INPUT_OUT_OF_RANGE');
    expect(e).to.include({ field: 'exports.a_$2.txt', line: 4 });
    expect(e.message).to.include('1 input was given');
  });

  for (const [value, what] of [
    ['../../etc', 'a parent segment'],
    ['/etc/passwd', 'an absolute path'],
    ['METADATA/manifest.json', 'the reserved folder'],
  ] as const) {
    it(`rejects a key that resolves to ${what}`, () => {
      const t = parseTemplate('hfitVersion: 1\ntemplateName: t\nexports:\n  "$1": { type: file, data: { volume: v, path: p } }\n');
      const e = thrownHfitError(() => substituteTemplate(t, { inputs: [value], vars: new Map() }));
      expect(e.code).to.equal('EXPORT_NAME_INVALID');
      expect(e.message).to.include('"$1"');
    });
  }

  it('rejects a key whose variable value escapes through a/../../b', () => {
    const t = parseTemplate('hfitVersion: 1\ntemplateName: t\nexports:\n  "a/$1/b": { type: file, data: { volume: v, path: p } }\n');
    expect(thrownHfitError(() => substituteTemplate(t, { inputs: ['../..'], vars: new Map() })).code).to.equal('EXPORT_NAME_INVALID');
  });

  it('rejects names that clash only after substitution, naming both keys', () => {
    const t = parseTemplate(
      'hfitVersion: 1\ntemplateName: t\nexports:\n' +
        '  "x_$1.txt": { type: file, data: { volume: v, path: p } }\n  "x_$2.txt": { type: file, data: { volume: v, path: q } }\n',
    );
    const e = thrownHfitError(() => substituteTemplate(t, { inputs: ['a', 'a'], vars: new Map() }));
    expect(e.code).to.equal('EXPORT_NAME_INVALID');
    expect(e.message).to.include('"x_$1.txt" and "x_$2.txt" both resolve to "x_a.txt"');
  });

  it('rejects a package name that resolves to a path', () => {
    const t = parseTemplate('hfitVersion: 1\ntemplateName: t\npackageName: "p_$1"\nexports:\n  a: { type: file, data: { volume: v, path: p } }\n');
    const e = thrownHfitError(() => substituteTemplate(t, { inputs: ['x/../../y'], vars: new Map() }));
    expect(e).to.include({ code: 'EXPORT_NAME_INVALID', field: 'packageName' });
  });
});

describe('substituteStep', () => {
  const t = parseTemplate(REFERENCE_EXAMPLE);

  it('resolves an input step to its value', () => {
    expect(substituteStep(t.prepare[0]!, { inputs: ['42'], vars: new Map() })).to.deep.include({ from: 'input', value: '42', source: '$1' });
  });

  it('binds the dbquery variables as parameters', () => {
    const s = substituteStep(t.prepare[1]!, { inputs: ['42'], vars: vars({ dataid: "42' --" }) });
    if (s.from !== 'hot-data' || s.hdata.type !== 'dbquery') throw new Error('expected dbquery');
    expect(renderQuery(s.hdata.query, questionMarkPlaceholder)).to.deep.equal({
      sql: 'SELECT usrId FROM dbname.datatable WHERE dataid=? ORDER BY utime LIMIT 1',
      params: ["42' --"],
    });
  });

  it('escapes glob values and leaves regex_replace alone', () => {
    const s = substituteStep(t.prepare[2]!, { inputs: ['42'], vars: vars({ dataid: '4?', usrId: 'u' }) });
    if (s.from !== 'hot-data' || s.hdata.type !== 'volume') throw new Error('expected volume');
    expect(s.hdata.glob).to.equal('*_4\\?_u_*.txt');
    expect(s.hdata.regexReplace?.replacement).to.equal('$1');
  });

  it('names the field of an unknown variable', () => {
    const e = thrownHfitError(() => substituteStep(t.prepare[1]!, { inputs: [], vars: new Map() }));
    expect(e).to.include({ code: 'VARIABLE_UNKNOWN', field: 'prepare[1].hdata.query', line: 14 });
  });
});
