import { expect } from 'chai';
import { stripAutoIncrement } from './strip-auto-increment.js';

describe('stripAutoIncrement', () => {
  it('removes the counter from the table options only', () => {
    const ddl = [
      'CREATE TABLE `t` (',
      "  `id` int(11) NOT NULL AUTO_INCREMENT COMMENT 'AUTO_INCREMENT=3 in a comment',",
      '  PRIMARY KEY (`id`)',
      ") ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4 COMMENT='AUTO_INCREMENT=9'",
    ].join('\n');
    expect(stripAutoIncrement(ddl)).to.equal(ddl.replace(' AUTO_INCREMENT=42', ''));
  });

  it('leaves tables without a counter unchanged', () => {
    const ddl = 'CREATE TABLE `t` (\n  `id` int(11) NOT NULL\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4';
    expect(stripAutoIncrement(ddl)).to.equal(ddl);
  });
});
