import { expect } from 'chai';
import { CsvRowDecoder } from './csv-row-decoder.js';
import { NdjsonRowDecoder } from './ndjson-row-decoder.js';
import type { DecodedRow, RowDecoder } from './row-decoder.js';

function decode(d: RowDecoder, text: string): DecodedRow[] {
  return [...d.push(text), ...d.end()];
}

describe('row decoders', () => {
  it('csv: turns \\x hex into bytes in binary columns only, and checks the field count', () => {
    const d = new CsvRowDecoder((cols) => cols.map((c) => c === 'bin'));
    const rows = decode(d, 'id,bin,txt\r\n1,\\x00ff27,\\x41\r\n2,\\x,\r\n3,,""\r\n');
    expect(d.columns).to.deep.equal(['id', 'bin', 'txt']);
    expect(rows.map((r) => r.values)).to.deep.equal([
      ['1', Buffer.from([0, 255, 0x27]), '\\x41'],
      ['2', Buffer.alloc(0), null],
      ['3', null, ''],
    ]);
    expect(() => decode(new CsvRowDecoder((c) => c.map(() => false)), 'a,b\r\n1\r\n')).to.throw(/line 2 has 1 fields, the header names 2 columns/);
  });

  it('ndjson: text, null, numbers as text, {"$binary"} as bytes; every line has the first line’s keys', () => {
    const d = new NdjsonRowDecoder();
    const rows = decode(d, '{"id":"1","b":{"$binary":"AP8n"},"t":null}\r\n\n{"t":"x","id":2,"b":{"$binary":""}}');
    expect(d.columns).to.deep.equal(['id', 'b', 't']);
    expect(rows).to.deep.equal([
      { values: ['1', Buffer.from([0, 255, 0x27]), null], line: 1 },
      { values: ['2', Buffer.alloc(0), 'x'], line: 3 },
    ]);
    expect(() => decode(new NdjsonRowDecoder(), '{"a":"1"}\n{"b":"1"}\n')).to.throw(/line 2 does not have the columns/);
    expect(() => decode(new NdjsonRowDecoder(), '{"a":[1]}\n')).to.throw(/line 1, column "a": the value is a list/);
    expect(() => decode(new NdjsonRowDecoder(), '{"a":"1"}\n{"a":\n')).to.throw(/line 2 is not valid JSON/);
  });
});
