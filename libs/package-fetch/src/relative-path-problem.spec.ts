import { expect } from 'chai';
import { packageEntryPath } from './package-entry-path.js';
import { packageNameProblem, relativePathProblem, windowsReservedNameProblem } from './relative-path-problem.js';

describe('relativePathProblem', () => {
  it('accepts relative paths of safe segments', () => {
    for (const p of ['a', 'a/b.txt', 'files/rechnung €1.txt', '.hidden', 'a..b', 'ab:c', '...a']) expect(relativePathProblem(p), p).to.equal(undefined);
  });

  it('refuses every way out of the folder', () => {
    const cases: [string, RegExp][] = [
      ['', /is empty/],
      ['../x', /"\.\." segment/],
      ['a/./b', /"\." segment/],
      ['a//b', /empty path segment/],
      ['a/', /empty path segment/],
      ['/etc/passwd', /absolute path/],
      ['C:/x', /drive letter/],
      ['a/C:x', /drive letter/],
      ['x:y', /drive letter/],
      ['a\\..\\b', /Windows path separator/],
      ['a\u0000b', /control character/],
      ['a/\n', /control character/],
      ['a/.. ', /dots and spaces only/],
      ['a/. .', /dots and spaces only/],
      [`a/${'x'.repeat(256)}`, /longer than 255 bytes/],
    ];
    for (const [p, message] of cases) expect(relativePathProblem(p), JSON.stringify(p)).to.match(message);
  });

  it('wants a package name to be one segment', () => {
    expect(packageNameProblem('orders-2024.1')).to.equal(undefined);
    expect(packageNameProblem('a/b')).to.match(/single folder name/);
    expect(packageNameProblem('..')).to.match(/"\.\." segment/);
    expect(packageNameProblem('')).to.match(/empty/);
    expect(packageNameProblem('con', true)).to.match(/names a device on Windows/);
    expect(packageNameProblem('con', false)).to.equal(undefined);
  });
});

describe('windowsReservedNameProblem', () => {
  it('finds device names, with or without an extension, in any case', () => {
    for (const s of ['CON', 'nul', 'Aux.sql', 'com1.txt', 'LPT9', 'nul .txt']) expect(windowsReservedNameProblem(s), s).to.match(/names a device on Windows/);
    for (const s of ['console', 'nul_', 'com10', 'auxiliary.sql', 'lpt']) expect(windowsReservedNameProblem(s), s).to.equal(undefined);
  });
});

describe('packageEntryPath', () => {
  it('maps entries under the package folder to their segments', () => {
    expect(packageEntryPath('pkg/', 'pkg')).to.deep.equal({ segments: [], trailingSlash: true });
    expect(packageEntryPath('pkg/a/b', 'pkg')).to.deep.equal({ segments: ['a', 'b'], trailingSlash: false });
    expect(packageEntryPath('pkg/a/', 'pkg')).to.deep.equal({ segments: ['a'], trailingSlash: true });
  });

  it('says why other entries cannot be unpacked', () => {
    expect(packageEntryPath('', 'pkg')).to.equal('has an empty name');
    expect(packageEntryPath('/', 'pkg')).to.equal('is the root folder "/"');
    expect(packageEntryPath('Pkg/a', 'pkg')).to.equal('is outside the package folder "pkg/"');
    expect(packageEntryPath('pkg', 'pkg')).to.equal('is a file where the package folder "pkg/" should be');
    expect(packageEntryPath('pkg//a', 'pkg')).to.match(/empty path segment/);
    expect(packageEntryPath('pkg/data/NUL.sql', 'pkg', true)).to.match(/names a device on Windows/);
    expect(packageEntryPath('pkg/data/NUL.sql', 'pkg', false)).to.deep.equal({ segments: ['data', 'NUL.sql'], trailingSlash: false });
  });
});
