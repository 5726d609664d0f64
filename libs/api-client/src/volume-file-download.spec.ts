import { expect } from 'chai';
import { filePathHeader, volumeFileDownloadOf } from './volume-file-download.js';

describe('volume file downloads', () => {
  it('decodes the percent-encoded X-Hfit-File-Path segment by segment', () => {
    expect(filePathHeader('docs%202024/rechnung%20%E2%82%AC1%20%23a%3F.txt')).to.equal('docs 2024/rechnung €1 #a?.txt');
    expect(filePathHeader('a%2Fb/c')).to.equal('a/b/c');
    expect(filePathHeader('%E0%A4%A')).to.equal(undefined);
    expect(filePathHeader(null)).to.equal(undefined);
    expect(filePathHeader('')).to.equal(undefined);
  });

  it('reads length, type, file name and modification time from the headers', () => {
    const d = volumeFileDownloadOf(
      new Response('hello', {
        headers: {
          'Content-Length': '5',
          'Content-Type': 'application/octet-stream',
          'Content-Disposition': `attachment; filename="r ?.txt"; filename*=UTF-8''r%20%E2%82%AC.txt`,
          'Last-Modified': 'Mon, 01 Jan 2024 00:00:00 GMT',
        },
      }),
      'x/r €.txt',
    );
    expect(d).to.deep.include({ path: 'x/r €.txt', fileName: 'r €.txt', contentLength: 5, contentType: 'application/octet-stream' });
    expect(d.lastModified?.toISOString()).to.equal('2024-01-01T00:00:00.000Z');
    const bare = volumeFileDownloadOf(new Response('x', { headers: { 'Last-Modified': 'yesterday' } }), 'x');
    expect(bare.lastModified).to.equal(undefined);
    expect(bare.fileName).to.equal(undefined);
  });
});
