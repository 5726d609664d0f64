import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { MysqlInsertEncoder, type RawRow } from './mysql-insert-encoder.js';
import { mysqlLiteral } from './mysql-literal.js';
import type { MysqlValueKind } from './mysql-value-kind.js';

function render(kinds: MysqlValueKind[], rows: RawRow[], batchSize: number): string {
  const e = new MysqlInsertEncoder(kinds, 'INSERT INTO `t` (`a`) VALUES', batchSize);
  const parts: Buffer[] = [];
  for (const r of rows) {
    e.row(r);
    const c = e.take();
    if (c) parts.push(c);
  }
  e.end();
  parts.push(e.take() ?? Buffer.alloc(0));
  return Buffer.concat(parts).toString('utf8');
}

describe('MysqlInsertEncoder', () => {
  it('renders NULL, numbers, escaped text and hex/empty binary', () => {
    const kinds: MysqlValueKind[] = ['number', 'text', 'binary', 'binary', 'text'];
    const row = [Buffer.from('-1.50'), Buffer.from(`a'b"c\\d\0e\nf\rg\th\bi\x1aj😀`), Buffer.from([0, 0xff]), Buffer.alloc(0), null];
    expect(render(kinds, [row], 10)).to.equal(`INSERT INTO \`t\` (\`a\`) VALUES\n(-1.50,'a\\'b\\"c\\\\d\\0e\\nf\\rg\\th\\bi\\Zj😀',0x00ff,'',NULL);\n`);
  });

  it('agrees byte for byte with the string-level literal renderer (random text and bytes)', () => {
    const alphabet = `abc'"\\\0\n\r\t\b\x1a é中😀𝄞`;
    const pick = () => Array.from({ length: Math.floor(Math.random() * 40) }, () => [...alphabet][Math.floor(Math.random() * [...alphabet].length)]).join('');
    for (let i = 0; i < 500; i++) {
      const text = pick();
      const bytes = randomBytes(Math.floor(Math.random() * 600)); // crosses the native hex threshold
      const got = render(['text', 'binary'], [[Buffer.from(text), bytes]], 1);
      expect(got).to.equal(`INSERT INTO \`t\` (\`a\`) VALUES\n(${mysqlLiteral(text, 'text')},${mysqlLiteral(bytes, 'binary')});\n`);
    }
  });

  it('grows its buffer for values larger than one output buffer', () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 0x27); // every byte needs escaping
    const got = render(['text'], [[big]], 1);
    expect(got.length).to.equal('INSERT INTO `t` (`a`) VALUES\n'.length + 2 * big.length + "('')".length + ';\n'.length);
  });
});
