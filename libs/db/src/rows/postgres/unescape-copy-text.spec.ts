import { expect } from 'chai';
import { escapeCopyText } from './escape-copy-text.js';
import { unescapeCopyText } from './unescape-copy-text.js';

describe('COPY text escaping', () => {
  it('escapes exactly what the server escapes and round-trips every character class', () => {
    const all = `a\\b\tc\nd\re\bf\fg\vh 'q' "dq" \u0000\u0001\u001f é 😀 \\N \\. end\\`;
    expect(escapeCopyText('plain text, no escapes')).to.equal('plain text, no escapes');
    expect(escapeCopyText('a\\b\tc\nd\re\bf\fg\vh')).to.equal('a\\\\b\\tc\\nd\\re\\bf\\fg\\vh');
    expect(unescapeCopyText(escapeCopyText(all))).to.equal(all);
  });

  it('decodes the escapes COPY FROM accepts but COPY TO never writes', () => {
    expect(unescapeCopyText('\\101\\x42\\7')).to.equal('AB\u0007');
    // Byte escapes of a multi-byte character decode as one UTF-8 character.
    expect(unescapeCopyText('x\\303\\251y\\xc3\\xa9')).to.equal('xéyé');
    // Backslash + any other character is that character; \x without hex digits is "x".
    expect(unescapeCopyText('\\q\\xz\\\\')).to.equal('qxz\\');
    expect(unescapeCopyText('end\\')).to.equal('end\\');
    expect(unescapeCopyText('\\😀')).to.equal('😀');
  });
});
