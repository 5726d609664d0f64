import { expect } from 'chai';
import { mysqlIdentifier, mysqlLiteral } from './mysql-literal.js';

describe('mysqlLiteral', () => {
  it('writes numbers of numeric columns unquoted, anything else quoted', () => {
    expect(mysqlLiteral('18446744073709551615', 'number')).to.equal('18446744073709551615');
    expect(mysqlLiteral('-1.5e-10', 'number')).to.equal('-1.5e-10');
    expect(mysqlLiteral('1); DROP TABLE t; --', 'number')).to.equal("'1); DROP TABLE t; --'");
    expect(mysqlLiteral('', 'number')).to.equal("''");
    expect(mysqlLiteral('42', 'text')).to.equal("'42'");
  });

  it('escapes like the mysql client libraries', () => {
    expect(mysqlLiteral(`\0'"\b\n\r\t\x1a\\`, 'text')).to.equal(`'\\0\\'\\"\\b\\n\\r\\t\\Z\\\\'`);
    expect(mysqlLiteral('😀 plain', 'text')).to.equal("'😀 plain'");
  });

  it('writes bytes as hex, empty bytes as an empty string, NULL as NULL', () => {
    expect(mysqlLiteral(Buffer.from([1, 2]), 'binary')).to.equal('0x0102');
    expect(mysqlLiteral(Buffer.alloc(0), 'binary')).to.equal("''");
    expect(mysqlLiteral(null, 'number')).to.equal('NULL');
  });

  it('quotes identifiers with backticks, doubling embedded ones', () => {
    expect(mysqlIdentifier('we`ird name')).to.equal('`we``ird name`');
  });
});
