import { expect } from 'chai';
import { parseContentRange } from './content-range.js';

describe('parseContentRange', () => {
  it('reads ranges with and without a known size, and the unsatisfied form', () => {
    expect(parseContentRange('bytes 100-199/1000')).to.deep.equal({ start: 100, end: 199, size: 1000 });
    expect(parseContentRange('bytes 0-0/*')).to.deep.equal({ start: 0, end: 0 });
    expect(parseContentRange('bytes */1000')).to.deep.equal({ size: 1000 });
  });

  it('rejects what is not a valid byte range', () => {
    for (const h of [null, undefined, '', 'items 0-1/2', 'bytes 5-4/10', 'bytes 0-10/10', 'bytes */*', 'bytes 1-2']) {
      expect(parseContentRange(h), String(h)).to.equal(undefined);
    }
  });
});
