import { expect } from 'chai';
import { applyRegexReplace, parseRegexReplace } from './regex-replace.js';
import type { RegexReplace } from './template-model.js';

function parsed(s: string): RegexReplace {
  const r = parseRegexReplace(s);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

describe('regex_replace', () => {
  it('applies the REFERENCE.md example to a file name', () => {
    expect(applyRegexReplace('20240101_42_u7_x.txt', parsed('/([0-9]+).*/$1/'))).to.equal('20240101');
  });

  it('replaces every match and honours flags and escaped delimiters', () => {
    expect(applyRegexReplace('a-b-C', parsed('/[a-c]/x/i'))).to.equal('x-x-x');
    expect(applyRegexReplace('a/b', parsed('/\\//_/'))).to.equal('a_b');
    expect(applyRegexReplace('a/b', parsed('#/#_#'))).to.equal('a_b');
  });

  it('explains malformed specs', () => {
    expect(parseRegexReplace('abc')).to.be.a('string');
    expect(parseRegexReplace('/a/b')).to.match(/three "\/" delimiters/);
    expect(parseRegexReplace('/a/b/x')).to.match(/unsupported flags/);
    expect(parseRegexReplace('/(/b/')).to.match(/invalid pattern/);
  });
});
