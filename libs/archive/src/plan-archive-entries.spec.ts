import { thrownHfitError } from '@hfit/contracts/testing';
import { expect } from 'chai';
import type { ArchiveEntry } from './archive-entry.js';
import { archivePathProblem, topFolderProblem } from './archive-path-problem.js';
import { planArchiveEntries } from './plan-archive-entries.js';

const bytes = Buffer.from('x');

describe('planArchiveEntries', () => {
  it('sorts by byte order, with an entry for every folder before its contents', () => {
    const entries: ArchiveEntry[] = [
      { path: 'b/z.txt', file: '/tmp/1' },
      { path: 'a.txt', content: bytes },
      { path: 'METADATA/manifest.json', content: bytes },
      { path: 'a/deep/x.sql', file: '/tmp/2' },
      { path: 'B.txt', file: '/tmp/3' },
      { path: 'é.txt', file: '/tmp/4' },
      { path: 'z\u{1F600}.txt', file: '/tmp/5' },
      { path: 'z\uFF01.txt', file: '/tmp/6' },
    ];
    const names = planArchiveEntries('pkg', entries).map((e) => `${e.kind[0]}:${e.name}`);
    expect(names).to.deep.equal([
      'd:pkg/',
      'f:pkg/B.txt',
      'd:pkg/METADATA/',
      'c:pkg/METADATA/manifest.json',
      'c:pkg/a.txt', // "." (0x2e) sorts before "/" (0x2f)
      'd:pkg/a/',
      'd:pkg/a/deep/',
      'f:pkg/a/deep/x.sql',
      'd:pkg/b/',
      'f:pkg/b/z.txt',
      // UTF-8 byte order: U+FF01 (ef bc 81) before U+1F600 (f0 9f 98 80), unlike UTF-16 order.
      'f:pkg/z\uFF01.txt',
      'f:pkg/z\u{1F600}.txt',
      'f:pkg/é.txt',
    ]);
  });

  it('gives the same plan whatever the input order', () => {
    const entries: ArchiveEntry[] = [
      { path: 'x/1', file: '/a' },
      { path: 'x/2', file: '/b' },
      { path: 'y', content: bytes },
      { path: 'a/b/c/d', file: '/c' },
    ];
    const expected = planArchiveEntries('p', entries);
    for (const shuffled of [[...entries].reverse(), [entries[2]!, entries[0]!, entries[3]!, entries[1]!]]) {
      expect(planArchiveEntries('p', shuffled)).to.deep.equal(expected);
    }
  });

  it('with no entries, holds just the top folder', () => {
    expect(planArchiveEntries('p', [])).to.deep.equal([{ kind: 'directory', name: 'p/' }]);
  });

  for (const bad of [
    '/etc/passwd',
    '../x',
    'a/../../b',
    'a/..',
    './a',
    'a/./b',
    'a//b',
    'a/',
    '',
    'a\\b',
    '..\\..\\x',
    'C:/x',
    'a\u0000b',
    'line\nbreak',
    `${'x'.repeat(256)}.txt`,
  ]) {
    it(`rejects the path ${JSON.stringify(bad.length > 40 ? `${bad.slice(0, 20)}…` : bad)}`, () => {
      expect(archivePathProblem(bad)).to.be.a('string');
      const e = thrownHfitError(() => planArchiveEntries('pkg', [{ path: 'ok', content: bytes }, { path: bad, content: bytes }]));
      expect(e.code).to.equal('EXPORT_NAME_INVALID');
      expect(e.field).to.equal('entries[1].path');
      expect(e.message).to.include(JSON.stringify(bad));
    });
  }

  for (const bad of ['', '.', '..', 'a/b', 'a\\b', 'c:x', 'a\u0000', '/abs', `${'x'.repeat(256)}`]) {
    it(`rejects the top folder ${JSON.stringify(bad.length > 40 ? `${bad.slice(0, 20)}…` : bad)}`, () => {
      expect(topFolderProblem(bad)).to.be.a('string');
      const e = thrownHfitError(() => planArchiveEntries(bad, [{ path: 'ok', content: bytes }]));
      expect(e.code).to.equal('EXPORT_NAME_INVALID');
      expect(e.field).to.equal('topFolder');
    });
  }

  it('accepts ordinary names, dots inside names and non-ASCII', () => {
    for (const ok of ['a', '.hidden', 'a..b', 'data/x.csv', 'données/été.txt', 'METADATA/manifest.json']) {
      expect(archivePathProblem(ok), ok).to.equal(undefined);
    }
    for (const ok of ['pkg', 'my-package_1.2', '.pkg', 'données']) expect(topFolderProblem(ok), ok).to.equal(undefined);
  });

  it('rejects duplicates, case and Unicode-normalisation twins and file/folder clashes, listing each', () => {
    const e = thrownHfitError(() =>
      planArchiveEntries('pkg', [
        { path: 'a.txt', file: '/1' },
        { path: 'a.txt', content: bytes },
        { path: 'Readme', file: '/2' },
        { path: 'README', file: '/3' },
        { path: 'caf\u00e9', file: '/4' },
        { path: 'cafe\u0301', file: '/5' },
        { path: 'dir', file: '/6' },
        { path: 'DIR/inner', file: '/7' },
      ]),
    );
    expect(e.code).to.equal('EXPORT_NAME_INVALID');
    expect(e.details.map((d) => d.field)).to.deep.equal(['entries[1].path', 'entries[3].path', 'entries[5].path', 'entries[6].path']);
    expect(e.details[0]!.message).to.include('appears twice');
    expect(e.details[1]!.message).to.include('differ only in case');
    expect(e.details[3]!.message).to.include('both a file and the folder');
    expect(e.message).to.include('and 3 more problems');
  });

  it('rejects an entry with neither or both of file and content', () => {
    const e = thrownHfitError(() =>
      planArchiveEntries('pkg', [
        { path: 'a' } as unknown as ArchiveEntry,
        { path: 'b', file: '/x', content: bytes } as unknown as ArchiveEntry,
        { path: 'c', content: 'text' } as unknown as ArchiveEntry,
      ]),
    );
    expect(e.details.map((d) => d.field)).to.deep.equal(['entries[0]', 'entries[1]', 'entries[2].content']);
  });
});
