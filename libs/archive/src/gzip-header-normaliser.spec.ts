import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gunzipSync, gzipSync } from 'node:zlib';
import { isHfitError } from '@hfit/contracts';
import { expect } from 'chai';
import { GzipHeaderNormaliser } from './gzip-header-normaliser.js';

function chunks(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

describe('GzipHeaderNormaliser', () => {
  const payload = Buffer.from('some text to compress '.repeat(50));

  for (const size of [1, 3, 9, 10, 11, 4096]) {
    it(`sets MTIME 0 and OS 3 whatever the chunk size (${size})`, async () => {
      const gz = Buffer.from(gzipSync(payload));
      gz.writeUInt32LE(0x12345678, 4); // as if a zlib had stamped a time
      gz[9] = 19; // as zlib on macOS writes
      const out = await buffer(Readable.from(chunks(gz, size)).pipe(new GzipHeaderNormaliser()));
      expect([...out.subarray(0, 10)]).to.deep.equal([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, gz[8], 3]);
      expect(out.subarray(10).equals(gz.subarray(10))).to.equal(true);
      expect(gunzipSync(out).equals(payload)).to.equal(true);
    });
  }

  it('rejects a gzip header with optional fields (here a file name) and a stream that is not gzip', async () => {
    const named = Buffer.from(gzipSync(payload));
    named[3] = 0x08;
    for (const input of [named, Buffer.from('not gzip at all'), Buffer.from([0x1f, 0x8b])]) {
      const error = await buffer(Readable.from([input]).pipe(new GzipHeaderNormaliser())).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isHfitError(error, 'ARCHIVE_FAILED'), String(error)).to.equal(true);
    }
  });
});
