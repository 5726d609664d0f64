import { expect } from 'chai';
import { formatPath } from './field-path.js';

describe('formatPath', () => {
  it('joins keys with "." and writes indices as [i]', () => {
    expect(formatPath([])).to.equal('');
    expect(formatPath(['exports', 'data', 'sql'])).to.equal('exports.data.sql');
    expect(formatPath(['prepare', 1, 'hdata', 'query'])).to.equal('prepare[1].hdata.query');
    expect(formatPath([0, 'a'])).to.equal('[0].a');
  });
});
