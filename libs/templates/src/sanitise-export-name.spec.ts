import { thrownHfitError } from '@hfit/contracts/testing';
import { expect } from 'chai';
import { assertNoExportNameConflicts, exportNameProblem, sanitiseExportName } from './sanitise-export-name.js';
import { sanitisePackageName } from './sanitise-package-name.js';

describe('sanitiseExportName', () => {
  it('accepts relative POSIX paths', () => {
    for (const ok of ['a.sql', 'data/x.csv', 'deep/er/file_1.txt', '.hidden', 'a..b', 'metadata.json']) {
      expect(sanitiseExportName(ok)).to.equal(ok);
    }
  });

  for (const bad of [
    '../x',
    '/etc/passwd',
    'a/../../b',
    './a',
    'a//b',
    'a/',
    '',
    'a\\b',
    'C:/x',
    'a\u0000b',
    'line\nbreak',
    'METADATA/manifest.json',
    'metadata/x',
    'METADATA',
    `${'x'.repeat(256)}.txt`,
  ]) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      expect(exportNameProblem(bad)).to.be.a('string');
      const e = thrownHfitError(() => sanitiseExportName(bad, 'k'));
      expect(e.code).to.equal('EXPORT_NAME_INVALID');
      expect(e.message).to.include('"k"');
    });
  }

  it('rejects duplicate names, case-only differences and file/folder clashes, naming both keys', () => {
    const e = thrownHfitError(() =>
      assertNoExportNameConflicts([
        { key: 'x_$1', name: 'x_1' },
        { key: 'x_${a}', name: 'x_1' },
        { key: 'A.sql', name: 'A.sql' },
        { key: 'a.sql', name: 'a.sql' },
        { key: 'dir', name: 'dir' },
        { key: 'dir-2', name: 'dir-2' },
        { key: 'dir/f', name: 'dir/f' },
        { key: 'other', name: 'other' },
      ]),
    );
    expect(e.code).to.equal('EXPORT_NAME_INVALID');
    expect(e.details).to.have.length(3);
    expect(e.message).to.include('"x_$1" and "x_${a}" both resolve to "x_1"');
    expect(e.message).to.include('differ only in case');
    expect(e.message).to.include('"dir" and "dir/f"');
  });
});

describe('sanitisePackageName', () => {
  it('accepts a single safe segment', () => {
    expect(sanitisePackageName('basedata_42')).to.equal('basedata_42');
  });
  for (const bad of ['', '..', 'a/b', 'a\\b', 'x:y', 'trail.', 'a\tb', 'x'.repeat(201)]) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      expect(thrownHfitError(() => sanitisePackageName(bad)).field).to.equal('packageName');
    });
  }
});
