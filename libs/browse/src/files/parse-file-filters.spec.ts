import { expect } from 'chai';
import { thrownHfitError } from '@hfit/contracts/testing';
import { describeFileFilters, parseFileFilters } from './parse-file-filters.js';

describe('parseFileFilters', () => {
  it('reads every form of the original syntax', () => {
    expect(parseFileFilters(['name:*_42_*.txt', 'mtime:7', 'mtime:-30', 'size:>10', 'size:<2k', 'size:1024', 'sort:size:desc', 'path:in/2024'])).to.deep.equal({
      conditions: [
        { kind: 'name', glob: '*_42_*.txt' },
        { kind: 'mtime', days: 7 },
        { kind: 'mtime', days: -30 },
        { kind: 'size', op: '>', bytes: 10 },
        { kind: 'size', op: '<', bytes: 2048 },
        { kind: 'size', op: '=', bytes: 1024 },
      ],
      sort: { key: 'size', order: 'desc' },
      path: 'in/2024',
    });
  });

  it('gives no sort and no path when none are asked for, and nothing at all for no filters', () => {
    expect(parseFileFilters([])).to.deep.equal({ conditions: [] });
    expect(parseFileFilters(['name:*.csv'])).to.deep.equal({ conditions: [{ kind: 'name', glob: '*.csv' }] });
  });

  it('takes k/M/G suffixes (1024-based, any case), >= and <=, fractions with a suffix', () => {
    const sizes = parseFileFilters(['size:>=1K', 'size:<=3m', 'size:2G', 'size:1.5k', 'size:=5']).conditions;
    expect(sizes).to.deep.equal([
      { kind: 'size', op: '>=', bytes: 1024 },
      { kind: 'size', op: '<=', bytes: 3 * 1024 * 1024 },
      { kind: 'size', op: '=', bytes: 2 * 1024 ** 3 },
      { kind: 'size', op: '=', bytes: 1536 },
      { kind: 'size', op: '=', bytes: 5 },
    ]);
  });

  it('sorts ascending unless told, and accepts the template form mtime|desc', () => {
    expect(parseFileFilters(['sort:name']).sort).to.deep.equal({ key: 'name', order: 'asc' });
    expect(parseFileFilters(['sort:mtime|desc']).sort).to.deep.equal({ key: 'mtime', order: 'desc' });
    expect(parseFileFilters(['sort:mtime:asc']).sort).to.deep.equal({ key: 'mtime', order: 'asc' });
  });

  it('keeps a name glob verbatim (colons included) and a fractional day count', () => {
    expect(parseFileFilters(['name:a:b*', 'mtime:0.5']).conditions).to.deep.equal([
      { kind: 'name', glob: 'a:b*' },
      { kind: 'mtime', days: 0.5 },
    ]);
  });

  for (const [token, why] of [
    ['owner:root', 'is not a file filter'],
    ['*.txt', 'is not a file filter'],
    ['', 'is not a file filter'],
    ['name:', 'has no value'],
    ['name:dir/*.txt', 'match the base name'],
    ['mtime:0', 'non-zero number of days'],
    ['mtime:week', 'non-zero number of days'],
    ['size:>', 'byte count'],
    ['size:10x', 'byte count'],
    ['size:1.5', 'byte count'],
    ['size:!5', 'byte count'],
    ['sort:owner', 'mtime, size or name'],
    ['sort:size:up', 'mtime, size or name'],
  ] as const) {
    it(`rejects "${token}" with REQUEST_INVALID naming it and the accepted forms`, () => {
      const err = thrownHfitError(() => parseFileFilters(['name:*.txt', token]));
      expect(err.code).to.equal('REQUEST_INVALID');
      expect(err.field).to.equal('filter');
      expect(err.message).to.contain(`"${token}" `);
      expect(err.message).to.contain(why);
      expect(err.message).to.contain('Accepted forms: name:<glob>, mtime:<days>');
      expect(err.message).to.contain('sort:<mtime|size|name>[:asc|desc], path:<folder>');
    });
  }

  it('lists every bad token at once, and a second sort or path', () => {
    const err = thrownHfitError(() => parseFileFilters(['bad:1', 'size:huge', 'sort:name', 'sort:size', 'path:a', 'path:b']));
    expect(err.details.map((d) => d.message)).to.deep.equal([
      '"bad:1" is not a file filter',
      '"size:huge" needs a byte count with an optional comparison and k/M/G suffix, e.g. size:>10k, size:<2M, size:1024',
      '"sort:size" is a second sort: give sort only once',
      '"path:b" is a second path: give path only once',
    ]);
  });

  it('describes filters in their own syntax for messages', () => {
    expect(describeFileFilters(parseFileFilters(['name:*.csv', 'size:>1k', 'size:5', 'mtime:-3', 'sort:mtime']))).to.equal(
      'name:*.csv size:>1024 size:5 mtime:-3 sort:mtime:asc',
    );
    expect(describeFileFilters(parseFileFilters([]))).to.equal('(no filter)');
  });
});
