import { expect } from 'chai';
import { decideRange } from './byte-range-header.js';

describe('decideRange', () => {
  it('serves a closed range, clamping its end to the last byte', () => {
    expect(decideRange('bytes=0-9', 100)).to.deep.equal({ kind: 'satisfiable', start: 0, end: 9 });
    expect(decideRange('bytes=90-500', 100)).to.deep.equal({ kind: 'satisfiable', start: 90, end: 99 });
    expect(decideRange('Bytes = 5-5', 100)).to.deep.equal({ kind: 'satisfiable', start: 5, end: 5 });
  });

  it('serves an open range and a suffix range (the whole body when the suffix is longer)', () => {
    expect(decideRange('bytes=40-', 100)).to.deep.equal({ kind: 'satisfiable', start: 40, end: 99 });
    expect(decideRange('bytes=-10', 100)).to.deep.equal({ kind: 'satisfiable', start: 90, end: 99 });
    expect(decideRange('bytes=-1000', 100)).to.deep.equal({ kind: 'satisfiable', start: 0, end: 99 });
  });

  it('is unsatisfiable when the range starts at or past the end, for a zero suffix, or an empty body', () => {
    expect(decideRange('bytes=100-', 100)).to.deep.equal({ kind: 'unsatisfiable' });
    expect(decideRange('bytes=100-200', 100)).to.deep.equal({ kind: 'unsatisfiable' });
    expect(decideRange('bytes=-0', 100)).to.deep.equal({ kind: 'unsatisfiable' });
    expect(decideRange('bytes=0-', 0)).to.deep.equal({ kind: 'unsatisfiable' });
    expect(decideRange('bytes=99999999999999999999-', 100)).to.deep.equal({ kind: 'unsatisfiable' });
  });

  it('ignores no header, other units, malformed specs, reversed ranges and multi-range requests', () => {
    for (const h of [undefined, 'items=0-1', 'bytes=abc', 'bytes=5', 'bytes=9-3', 'bytes=0-1,5-6', 'bytes=', 'bytes=1.5-2', 'bytes=--1']) {
      expect(decideRange(h, 100), String(h)).to.deep.equal({ kind: 'none' });
    }
  });
});
