import { expect } from 'chai';
import { csvField, csvHeader, csvLine } from './csv-line.js';

describe('csv-line', () => {
  it('distinguishes NULL (empty field) from the empty string ("")', () => {
    expect(csvField(null)).to.equal('');
    expect(csvField('')).to.equal('""');
  });

  it('quotes only fields with separators, quotes or line breaks, doubling quotes', () => {
    expect(csvField('plain text')).to.equal('plain text');
    expect(csvField(' spaced ')).to.equal(' spaced ');
    expect(csvField('a,b')).to.equal('"a,b"');
    expect(csvField('say "hi"')).to.equal('"say ""hi"""');
    expect(csvField('line\nbreak')).to.equal('"line\nbreak"');
    expect(csvField('cr\rhere')).to.equal('"cr\rhere"');
    expect(csvField('tab\tand 😀')).to.equal('tab\tand 😀');
  });

  it('writes bytes as \\x + lower-case hex', () => {
    expect(csvField(Buffer.from([0, 0xab, 0xff]))).to.equal('\\x00abff');
    expect(csvField(Buffer.alloc(0))).to.equal('\\x');
  });

  it('joins records with commas and ends them with CRLF; the header quotes like any field', () => {
    expect(csvLine(['1', null, '', 'x,y'])).to.equal('1,,"","x,y"\r\n');
    expect(csvHeader(['id', 'odd,name'])).to.equal('id,"odd,name"\r\n');
  });
});
