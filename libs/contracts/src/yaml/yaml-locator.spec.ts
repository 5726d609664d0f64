import { expect } from 'chai';
import { LineCounter, parseDocument } from 'yaml';
import { YamlLocator } from './yaml-locator.js';

function locate(text: string): YamlLocator {
  const lineCounter = new LineCounter();
  return new YamlLocator(parseDocument(text, { lineCounter }), lineCounter);
}

describe('YamlLocator', () => {
  const text = ['top: 1', 'outer:', '  inner:', '    - a', '    - b: 2', '      c: 3', '  "7": x', ''].join('\n');

  it('finds the line of a key, a sequence item and a nested field', () => {
    const l = locate(text);
    expect(l.lineOf(['top'])).to.equal(1);
    expect(l.lineOf(['outer', 'inner'])).to.equal(3);
    expect(l.lineOf(['outer', 'inner', 0])).to.equal(4);
    expect(l.lineOf(['outer', 'inner', 1, 'c'])).to.equal(6);
    expect(l.lineOf(['outer', 7])).to.equal(7);
  });

  it('points a missing field at the deepest part of its path that exists', () => {
    const l = locate(text);
    expect(l.lineOf([])).to.equal(1);
    expect(l.lineOf(['outer', 'inner', 1, 'nope'])).to.equal(5);
    expect(l.lineOf(['outer', 'inner', 9])).to.equal(3);
    expect(l.lineOf(['top', 'deeper'])).to.equal(1);
  });

  it('turns offsets into lines', () => {
    expect(locate(text).lineAtOffset(text.indexOf('inner'))).to.equal(3);
  });
});
