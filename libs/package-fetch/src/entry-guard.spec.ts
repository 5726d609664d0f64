import { isHfitError, type HfitError } from '@hfit/contracts';
import { expect } from 'chai';
import type { ArchiveEntryHeader } from './archive-entry-header.js';
import { EntryGuard } from './entry-guard.js';

function refusal(guard: EntryGuard, header: ArchiveEntryHeader): HfitError {
  try {
    guard.check(header);
  } catch (e) {
    if (isHfitError(e, 'ARCHIVE_UNSAFE')) return e;
    throw e;
  }
  throw new Error(`${header.name} was accepted`);
}

const file = (name: string, size = 1): ArchiveEntryHeader => ({ name, kind: 'file', size });
const dir = (name: string): ArchiveEntryHeader => ({ name, kind: 'directory', size: 0 });

describe('EntryGuard', () => {
  const limits = { maxTotalBytes: 100, maxEntries: 10 };

  it('accepts files and folders under the package folder, folders before or after their files', () => {
    const guard = new EntryGuard('a.zip', 'pkg', limits);
    expect(guard.check(dir('pkg/'))).to.deep.equal({ kind: 'directory', segments: [], path: '', size: 0 });
    expect(guard.check(file('pkg/a/b.txt', 5))).to.deep.equal({ kind: 'file', segments: ['a', 'b.txt'], path: 'a/b.txt', size: 5 });
    expect(guard.check(dir('pkg/a/')).path).to.equal('a');
    guard.check(file('pkg/A/c.txt'));
    expect(guard.files).to.deep.equal(['a/b.txt', 'A/c.txt']);
    expect(guard.declaredBytes).to.equal(6);
  });

  it('refuses a second folder entry, a file under a file, and a file where a folder is', () => {
    const guard = new EntryGuard('a.zip', 'pkg', limits);
    guard.check(dir('pkg/'));
    guard.check(dir('pkg/d/'));
    guard.check(file('pkg/f'));
    guard.check(file('pkg/d/x'));
    expect(refusal(guard, dir('pkg/')).message).to.match(/"pkg\/" appears twice/);
    expect(refusal(guard, dir('pkg/D/')).message).to.match(/and "pkg\/d" differ only in case/);
    expect(refusal(guard, file('pkg/f/g')).message).to.match(/would be inside "pkg\/f", which is a file/);
    expect(refusal(guard, file('pkg/d')).message).to.match(/would be both a file and a folder/);
    expect(refusal(guard, dir('pkg/f/')).message).to.match(/would be both a file and a folder/);
  });

  it('refuses links with their target, and folders that carry data', () => {
    const guard = new EntryGuard('a.tar.gz', 'pkg', limits);
    expect(refusal(guard, { name: 'pkg/l', kind: 'symlink', size: 0, linkTarget: '/etc' }).message).to.match(/"pkg\/l" is a symbolic link to "\/etc": package archives only contain files and folders/);
    expect(refusal(guard, { name: 'pkg/d/', kind: 'directory', size: 3 }).message).to.match(/is a folder that carries 3 bytes of data/);
    expect(refusal(guard, { name: 'pkg/x', kind: 'file', size: -1 }).message).to.match(/declares an invalid size \(-1\)/);
  });

  it('counts declared bytes and entries against the limits', () => {
    const guard = new EntryGuard('a.zip', 'pkg', { maxTotalBytes: 10, maxEntries: 3 });
    guard.check(file('pkg/a', 6));
    expect(refusal(guard, file('pkg/b', 5)).message).to.match(/declares 5 bytes, which would bring the files to more than 10 bytes/);
    // A refused entry still counts: the third entry is the last one allowed.
    guard.check(file('pkg/c', 4));
    expect(refusal(guard, file('pkg/d', 0)).message).to.match(/more than 3 entries \(the maxEntries limit\)/);
  });
});
