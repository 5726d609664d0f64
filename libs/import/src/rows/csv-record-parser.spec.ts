import { expect } from 'chai';
import { CsvRecordParser, type CsvRecord } from './csv-record-parser.js';

function parse(text: string, size?: number): CsvRecord[] {
  const p = new CsvRecordParser();
  const out: CsvRecord[] = [];
  const step = size ?? Math.max(1, text.length);
  for (let i = 0; i < text.length; i += step) out.push(...p.push(text.slice(i, i + step)));
  out.push(...p.end());
  return out;
}

describe('CsvRecordParser', () => {
  const csv = 'id,name,note\r\n1,"a,b","say ""hi""\r\nnext line"\r\n2,,""\r\n3,plain,x"y\r\n,\\x00ff,"\\x41"\r\n';
  const expected: CsvRecord[] = [
    { fields: ['id', 'name', 'note'], line: 1 },
    { fields: ['1', 'a,b', 'say "hi"\r\nnext line'], line: 2 },
    { fields: ['2', null, ''], line: 4 },
    { fields: ['3', 'plain', 'x"y'], line: 5 },
    { fields: [null, '\\x00ff', '\\x41'], line: 6 },
  ];

  it('reads RFC 4180 records: quotes, doubled quotes, line breaks in quotes; NULL = empty unquoted field', () => {
    expect(parse(csv)).to.deep.equal(expected);
  });

  it('gives the same records whatever the chunk size', () => {
    for (let size = 1; size <= 16; size++) expect(parse(csv, size), `chunks of ${size}`).to.deep.equal(expected);
  });

  it('accepts LF line ends and a last record without a line break', () => {
    expect(parse('a\n1\n2')).to.deep.equal([
      { fields: ['a'], line: 1 },
      { fields: ['1'], line: 2 },
      { fields: ['2'], line: 3 },
    ]);
  });

  it('reads a blank line as one NULL field (a one-column NULL row)', () => {
    expect(parse('a\r\n\r\n1\r\n')).to.deep.equal([
      { fields: ['a'], line: 1 },
      { fields: [null], line: 2 },
      { fields: ['1'], line: 3 },
    ]);
  });

  it('refuses a file that ends inside a quoted field', () => {
    expect(() => parse('a\r\n"open\r\n')).to.throw(/ends inside a quoted field of the record starting at line 2/);
  });
});
