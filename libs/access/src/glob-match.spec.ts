import { expect } from 'chai';
import { globMatch, segmentsMatch, segmentsPrefixMatch } from './glob-match.js';

describe('globMatch', () => {
  it('keeps * and ? inside one segment, lets ** cross segments, matches dotfiles', () => {
    expect(globMatch('*', 'a')).to.equal(true);
    expect(globMatch('*', 'a/b')).to.equal(false);
    expect(globMatch('?', 'ab')).to.equal(false);
    expect(globMatch('**', 'a/b/c')).to.equal(true);
    expect(globMatch('2024/**', '2024/01/x.pdf')).to.equal(true);
    expect(globMatch('*.txt', '.hidden.txt')).to.equal(true);
    expect(globMatch('{a,b}-*', 'b-1')).to.equal(true);
  });

  it('never lets a pattern reach through ".." segments', () => {
    expect(globMatch('public/**', 'public/../secret.txt')).to.equal(false);
    expect(globMatch('**', '../x')).to.equal(false);
    expect(globMatch('*', '..')).to.equal(false);
  });

  it('takes values literally: glob characters in a name are not patterns', () => {
    expect(globMatch('order-*', 'order-[1]')).to.equal(true);
    expect(globMatch('a', '*')).to.equal(false);
    expect(globMatch('!a', 'b')).to.equal(false);
  });
});

describe('segmentsMatch', () => {
  it('matches segment by segment, so a name holding "/" is one segment', () => {
    expect(segmentsMatch(['s', 'd', '*'], ['s', 'd', 'a/b'])).to.equal(true);
    expect(segmentsMatch(['s', 'd', 'a'], ['s', 'd', 'a/b'])).to.equal(false);
    expect(segmentsMatch(['s', '*'], ['s', 'd', 't'])).to.equal(false);
  });

  it('lets a ** segment take any number of segments, none included', () => {
    expect(segmentsMatch(['**'], ['a', 'b', 'c'])).to.equal(true);
    expect(segmentsMatch(['**', 'orders'], ['s', 'd', 'orders'])).to.equal(true);
    expect(segmentsMatch(['**', 'orders'], ['s', 'd', 'order'])).to.equal(false);
    expect(segmentsMatch(['s', '**', 't'], ['s', 't'])).to.equal(true);
    expect(segmentsMatch(['s', '**'], ['x', 'd', 't'])).to.equal(false);
  });
});

describe('segmentsPrefixMatch', () => {
  const exactly = (n: number) => ({ min: n, max: n });

  it('a prefix is visible when the rest of the pattern can match the missing levels', () => {
    expect(segmentsPrefixMatch(['shop', '*', '*'], ['shop'], exactly(2))).to.equal(true);
    expect(segmentsPrefixMatch(['shop', '*', '*'], ['other'], exactly(2))).to.equal(false);
    expect(segmentsPrefixMatch(['shop', 'db', '*'], ['shop', 'db'], exactly(1))).to.equal(true);
    expect(segmentsPrefixMatch(['shop', 'db', '*'], ['shop', 'db2'], exactly(1))).to.equal(false);
  });

  it('a pattern too short (or too long) for a table names nothing inside the prefix', () => {
    expect(segmentsPrefixMatch(['shop', 'db'], ['shop'], exactly(2))).to.equal(false);
    expect(segmentsPrefixMatch(['shop', 'db'], ['shop', 'db'], exactly(1))).to.equal(false);
    expect(segmentsPrefixMatch(['shop', 'db', 't', 'x'], ['shop'], exactly(2))).to.equal(false);
  });

  it('a ** may stand for the prefix, part of it, or what follows', () => {
    expect(segmentsPrefixMatch(['**'], ['any'], exactly(2))).to.equal(true);
    expect(segmentsPrefixMatch(['**', 'orders'], ['any', 'db'], exactly(1))).to.equal(true);
    expect(segmentsPrefixMatch(['shop', '**'], ['shop', 'db'], exactly(1))).to.equal(true);
    expect(segmentsPrefixMatch(['shop', '**'], ['other'], exactly(2))).to.equal(false);
    expect(segmentsPrefixMatch(['**', 'a', 'b', 'c'], ['s'], exactly(2))).to.equal(false);
  });

  it('an empty segment matches nothing', () => {
    expect(segmentsPrefixMatch(['shop', '', '*'], ['shop'], exactly(2))).to.equal(false);
  });

  it('with an open upper bound (folders), anything below a prefix counts', () => {
    expect(segmentsPrefixMatch(['2024', '**'], ['2024'], { min: 1, max: Infinity })).to.equal(true);
    expect(segmentsPrefixMatch(['2024', '*', '*.pdf'], ['2024'], { min: 1, max: Infinity })).to.equal(true);
    expect(segmentsPrefixMatch(['*.pdf'], ['2024'], { min: 1, max: Infinity })).to.equal(false);
    expect(segmentsPrefixMatch(['**', '*.pdf'], ['a', 'b'], { min: 1, max: Infinity })).to.equal(true);
  });
});
