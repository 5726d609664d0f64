import { expect } from 'chai';
import { contentDispositionFilename } from './content-disposition-filename.js';

describe('contentDispositionFilename', () => {
  it('reads token, quoted and RFC 5987 extended names, preferring the extended one', () => {
    expect(contentDispositionFilename('attachment; filename=snap_1.tar.gz')).to.equal('snap_1.tar.gz');
    expect(contentDispositionFilename('attachment; filename="a \\"b\\".zip"')).to.equal('a "b".zip');
    expect(contentDispositionFilename(`attachment; filename="fallback.zip"; filename*=UTF-8''r%C3%A9sum%C3%A9.zip`)).to.equal('résumé.zip');
  });

  it('keeps only the last path segment and refuses empty or dot names', () => {
    expect(contentDispositionFilename('attachment; filename="../../etc/passwd"')).to.equal('passwd');
    expect(contentDispositionFilename('attachment; filename="..\\\\x\\\\evil.zip"')).to.equal('evil.zip');
    expect(contentDispositionFilename('attachment; filename=".."')).to.equal(undefined);
    expect(contentDispositionFilename('attachment')).to.equal(undefined);
    expect(contentDispositionFilename(null)).to.equal(undefined);
  });
});
