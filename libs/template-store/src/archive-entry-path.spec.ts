import { expect } from 'chai';
import { archiveEntryBaseName, archiveEntryPathProblem } from './archive-entry-path.js';

describe('archiveEntryPathProblem', () => {
  for (const path of ['a.yaml', 'dir/a.yaml', './a.yaml', 'dir/sub/', 'a..b.yaml', '..a.yaml']) {
    it(`accepts ${JSON.stringify(path)}`, () => {
      expect(archiveEntryPathProblem(path)).to.equal(undefined);
    });
  }

  for (const [path, problem] of [
    ['', 'is empty'],
    ['/etc/x.yaml', 'is absolute'],
    ['\\x.yaml', 'is absolute'],
    ['C:x.yaml', 'starts with a drive letter'],
    ['../x.yaml', 'contains a ".." segment that leaves the archive'],
    ['a/../../x.yaml', 'contains a ".." segment that leaves the archive'],
    ['a\\..\\x.yaml', 'contains a ".." segment that leaves the archive'],
    ['a/..', 'contains a ".." segment that leaves the archive'],
    ['a\u0000.yaml', 'contains a control character'],
  ] as const) {
    it(`refuses ${JSON.stringify(path)}: ${problem}`, () => {
      expect(archiveEntryPathProblem(path)).to.equal(problem);
    });
  }
});

describe('archiveEntryBaseName', () => {
  it('is the last non-empty segment, with either separator', () => {
    expect(archiveEntryBaseName('a/b/c.yaml')).to.equal('c.yaml');
    expect(archiveEntryBaseName('a\\c.yml')).to.equal('c.yml');
    expect(archiveEntryBaseName('dir/')).to.equal('dir');
    expect(archiveEntryBaseName('')).to.equal('');
  });
});
