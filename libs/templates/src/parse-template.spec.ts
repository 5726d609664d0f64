import { thrownHfitError } from '@hfit/contracts/testing';
import { expect } from 'chai';
import { parseTemplate } from './parse-template.js';
import { REFERENCE_EXAMPLE } from './reference-example.fixture.js';

const parseError = (text: string) => thrownHfitError(() => parseTemplate(text));

const minimal = (exportsYaml: string, head = 'hfitVersion: 1\ntemplateName: t\n') => `${head}exports:\n${exportsYaml}`;

describe('parseTemplate', () => {
  describe('REFERENCE.md example', () => {
    it('parses into the normalised model with lines', () => {
      const t = parseTemplate(REFERENCE_EXAMPLE);
      expect(t.hfitVersion).to.equal(1);
      expect(t.templateName).to.equal('usecase_data');
      expect(t.projectName).to.equal('project_name');
      expect(t.packageName).to.equal('basedata_$1');
      expect(t.legacy).to.equal(false);
      expect(t.requiredInputs).to.equal(1);
      expect(t.text).to.equal(REFERENCE_EXAMPLE);
      expect(t.prepare.map((s) => s.setVar)).to.deep.equal(['dataid', 'usrId', 'fBaseName']);
      const [input, query, volume] = t.prepare;
      expect(input).to.include({ from: 'input', source: '$1', index: 0, line: 6 });
      expect(query?.from === 'hot-data' && query.hdata).to.deep.equal({
        type: 'dbquery',
        dbms: 'dbms_mysql1',
        query: 'SELECT usrId FROM dbname.datatable WHERE dataid=${dataid} ORDER BY utime LIMIT 1',
      });
      expect(query?.fieldLines['hdata.query']).to.equal(14);
      if (volume?.from !== 'hot-data' || volume.hdata.type !== 'volume') throw new Error('expected a volume step');
      expect(volume.hdata.sort).to.deep.equal({ key: 'mtime', order: 'desc' });
      expect(volume.hdata.regexReplace).to.deep.include({ pattern: '([0-9]+).*', replacement: '$1', flags: '' });

      expect(t.exports.map((e) => [e.key, e.type, e.line])).to.deep.equal([
        ['dbcreate.sql', 'dbcreate', 24],
        ['tablegroup1.create.sql', 'table-create', 27],
        ['tabledata1.data.sql', 'table-data', 30],
        ['target-filename.txt', 'file', 33],
      ]);
      expect(t.exports[1]!.data).to.deep.equal({
        dbms: 'dbms_mysql1',
        tablelist: ['dbname1.table1', 'dbname2.table2'],
        option: 'dropcreate',
      });
      expect(t.exports[2]!.data).to.deep.include({ table: 'dbname1.table1', filter: 'key<34 AND key>12', format: 'sql' });
    });
  });

  describe('accepted variants', () => {
    it('accepts the legacy package form (name, exports, no prepare)', () => {
      const t = parseTemplate('hfitVersion: 1\nname: legacy_pkg\nexports:\n  a.sql: { type: dbcreate, data: { dbms: s, tablelist: [db] } }\n');
      expect(t).to.include({ legacy: true, templateName: 'legacy_pkg', packageName: 'legacy_pkg' });
      expect(t.prepare).to.deep.equal([]);
    });

    it('rejects prepare in the legacy form', () => {
      const e = parseError('hfitVersion: 1\nname: legacy_pkg\nprepare: []\nexports:\n  a.sql: { type: dbcreate, data: { dbms: s, tablelist: [db] } }\n');
      expect(e.code).to.equal('TEMPLATE_INVALID');
      expect(e.details[0]).to.include({ field: 'prepare', line: 3 });
    });

    it('accepts create-table and table: as table-create with a one-item tablelist', () => {
      const t = parseTemplate(minimal('  x.sql:\n    type: create-table\n    data: { dbms: s, table: db.t1, option: ifnotexists }\n'));
      expect(t.exports[0]).to.deep.include({
        type: 'table-create',
        data: { dbms: 's', tablelist: ['db.t1'], option: 'ifnotexists' },
      });
    });

    it('rejects both table and tablelist', () => {
      const e = parseError(minimal('  x.sql:\n    type: table-create\n    data: { dbms: s, table: db.t1, tablelist: [db.t2] }\n'));
      expect(e.details.map((d) => d.field)).to.deep.equal(['exports.x.sql.data.table']);
    });

    it('defaults packageName to templateName, format to sql, sort to name|asc', () => {
      const t = parseTemplate(
        'hfitVersion: 1\ntemplateName: t1\nprepare:\n  - setVar: f\n    from: hot-data\n    hdata: { type: volume, volume: v, glob: "*.txt" }\n' +
          'exports:\n  d.csv: { type: table-data, data: { dbms: s, table: db.t, format: csv, batchSize: 10 } }\n' +
          '  e.sql: { type: table-data, data: { dbms: s, table: db.t, filter: "  where id = 1 " } }\n' +
          '  dir1: { type: files, data: { volume: v, glob: "**/*.log" } }\n',
      );
      expect(t.packageName).to.equal('t1');
      const step = t.prepare[0];
      expect(step?.from === 'hot-data' && step.hdata.type === 'volume' && step.hdata.sort).to.deep.equal({ key: 'name', order: 'asc' });
      expect(t.exports[0]!.data).to.deep.include({ format: 'csv', batchSize: 10 });
      expect(t.exports[1]!.data).to.deep.include({ format: 'sql', filter: 'id = 1' });
      expect(t.exports[2]).to.deep.include({ type: 'files', data: { volume: 'v', glob: '**/*.log', dir: undefined } });
    });
  });

  describe('errors', () => {
    it('reports malformed YAML with its line', () => {
      const e = parseError('hfitVersion: 1\ntemplateName: t\nexports:\n  a: { type: file\n  b: [\n');
      expect(e.code).to.equal('TEMPLATE_YAML');
      expect(e.line).to.be.a('number').and.to.be.at.least(4);
      expect(e.message).to.match(/line \d+/);
    });

    it('reports duplicate keys as YAML errors', () => {
      const e = parseError('hfitVersion: 1\ntemplateName: t\ntemplateName: u\nexports: {}\n');
      expect(e.code).to.equal('TEMPLATE_YAML');
      expect(e.line).to.equal(3);
    });

    it('rejects a document that is not a map', () => {
      expect(parseError('- a\n- b\n').code).to.equal('TEMPLATE_INVALID');
      expect(parseError('').code).to.equal('TEMPLATE_INVALID');
    });

    it('reports an unknown export type naming the valid types', () => {
      const e = parseError(minimal('  a.sql:\n    type: table-dump\n    data: { dbms: s }\n'));
      expect(e.code).to.equal('EXPORT_TYPE_UNKNOWN');
      expect(e.details).to.have.length(1);
      expect(e.details[0]).to.include({ field: 'exports.a.sql.type', line: 5 });
      for (const t of ['dbcreate', 'table-create', 'table-data', 'file', 'files']) expect(e.message).to.include(t);
    });

    it('lists every missing or wrong field at once, with paths and lines', () => {
      const e = parseError(
        [
          'hfitVersion: 2',
          'exports:',
          '  data.sql:',
          '    type: table-data',
          '    data:',
          '      dbms: s',
          '      batchSize: 0',
          '  f.txt:',
          '    type: file',
          '    data: { volume: v, pth: x }',
          '  g.txt:',
          '    type: nope',
          '    data: {}',
          'prepare:',
          '  - setVar: 1x',
          '    from: input',
          '  - setVar: y',
          '    from: elsewhere',
          '',
        ].join('\n'),
      );
      expect(e.code).to.equal('TEMPLATE_INVALID');
      const found = e.details.map((d) => `${d.field}@${d.line}`);
      expect(found).to.include.members([
        'hfitVersion@1',
        'templateName@1',
        'exports.data.sql.data.table@5',
        'exports.data.sql.data.batchSize@7',
        'exports.f.txt.data.path@10',
        'exports.f.txt.data.pth@10',
        'exports.g.txt.type@12',
        'prepare[0].setVar@15',
        'prepare[0].source@15',
        'prepare[1].from@18',
      ]);
      expect(e.message).to.include('exports.data.sql.data.table (line 5): is required');
      expect(e.message).to.include('unknown field "pth"; expected one of: volume, path');
    });

    it('rejects strings written as numbers, asking for quotes', () => {
      const e = parseError(minimal('  f.txt: { type: file, data: { volume: v, path: 123 } }\n'));
      expect(e.details[0]?.message).to.match(/must be a string, not an integer: put the value in quotes/);
    });

    it('reports unknown variables with field, line and the defined variables', () => {
      const e = parseError(
        'hfitVersion: 1\ntemplateName: t\nprepare:\n  - { setVar: dataid, from: input, source: $1 }\n' +
          'exports:\n  "x_${dataId}.txt": { type: file, data: { volume: v, path: "${other}/a" } }\n',
      );
      expect(e.code).to.equal('VARIABLE_UNKNOWN');
      expect(e.details.map((d) => `${d.field}@${d.line}`)).to.deep.equal([
        'exports.x_${dataId}.txt@6',
        'exports.x_${dataId}.txt.data.path@6',
      ]);
      expect(e.details[0]?.message).to.include('did you mean ${dataid}?');
      expect(e.details[1]?.message).to.include('defined variables: ${dataid}');
    });

    it('rejects a variable used before the step that sets it', () => {
      const e = parseError(
        'hfitVersion: 1\ntemplateName: t\nprepare:\n' +
          '  - { setVar: a, from: input, source: "${b}" }\n  - { setVar: b, from: input, source: $1 }\n' +
          'exports:\n  "${a}": { type: file, data: { volume: v, path: p } }\n',
      );
      expect(e.code).to.equal('VARIABLE_UNKNOWN');
      expect(e.details[0]).to.include({ field: 'prepare[0].source', line: 4 });
      expect(e.details[0]?.message).to.include('move that step before this one');
    });

    it('rejects a variable set twice and bad reference syntax', () => {
      const e = parseError(
        'hfitVersion: 1\ntemplateName: t\nprepare:\n' +
          '  - { setVar: a, from: input, source: $1 }\n  - { setVar: a, from: input, source: $2 }\n' +
          'exports:\n  "$a.txt": { type: file, data: { volume: v, path: "${a" } }\n',
      );
      expect(e.code).to.equal('TEMPLATE_INVALID');
      expect(e.details.map((d) => d.field)).to.deep.equal(['prepare[1].setVar', 'exports.$a.txt', 'exports.$a.txt.data.path']);
      expect(e.details[1]?.message).to.include('write "${a}"');
    });

    it('rejects variables inside quoted SQL literals in queries and filters', () => {
      const e = parseError(
        'hfitVersion: 1\ntemplateName: t\nprepare:\n  - { setVar: a, from: input, source: $1 }\n' +
          '  - setVar: b\n    from: hot-data\n    hdata: { type: dbquery, dbms: s, query: "SELECT x FROM d.t WHERE n LIKE \'%${a}%\'" }\n' +
          'exports:\n  d.sql: { type: table-data, data: { dbms: s, table: d.t, filter: "name = \'${b}\'" } }\n',
      );
      expect(e.code).to.equal('QUERY_REJECTED');
      expect(e.details.map((d) => `${d.field}@${d.line}`)).to.deep.equal(['prepare[1].hdata.query@7', 'exports.d.sql.data.filter@9']);
      expect(e.message).to.include('write ${a} unquoted');
    });

    it('rejects $0 and an invalid regex_replace', () => {
      const e = parseError(
        'hfitVersion: 1\ntemplateName: t\nprepare:\n  - { setVar: a, from: input, source: $0 }\n' +
          '  - setVar: b\n    from: hot-data\n    hdata: { type: volume, volume: v, glob: "*", regex_replace: "/([0-9]+/x/" }\n' +
          'exports:\n  x: { type: file, data: { volume: v, path: p } }\n',
      );
      expect(e.details.map((d) => d.field)).to.deep.equal(['prepare[0].source', 'prepare[1].hdata.regex_replace']);
    });

    it('rejects unsafe export and package names that need no substitution', () => {
      const e = parseError(
        'hfitVersion: 1\ntemplateName: t\npackageName: "../up"\nexports:\n' +
          '  ../x: { type: file, data: { volume: v, path: p } }\n' +
          '  /etc/passwd: { type: file, data: { volume: v, path: p } }\n' +
          '  METADATA/manifest.json: { type: file, data: { volume: v, path: p } }\n' +
          '  a: { type: file, data: { volume: v, path: p } }\n' +
          '  a/b: { type: file, data: { volume: v, path: p } }\n',
      );
      expect(e.code).to.equal('EXPORT_NAME_INVALID');
      expect(e.details.map((d) => `${d.field}@${d.line}`)).to.deep.equal([
        'packageName@3',
        'exports.../x@5',
        'exports./etc/passwd@6',
        'exports.METADATA/manifest.json@7',
        'exports.a/b@9',
      ]);
    });
  });
});
