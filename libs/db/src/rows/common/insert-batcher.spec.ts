import { expect } from 'chai';
import { InsertBatcher } from './insert-batcher.js';

describe('InsertBatcher', () => {
  it('groups tuples into statements of batchSize rows, one tuple per line', () => {
    const b = new InsertBatcher('INSERT INTO t (a) VALUES', 2);
    const text = ['(1)', '(2)', '(3)'].map((t) => b.row(t)).join('') + b.end();
    expect(text).to.equal('INSERT INTO t (a) VALUES\n(1),\n(2);\nINSERT INTO t (a) VALUES\n(3);\n');
    expect(b.end()).to.equal('');
  });

  it('writes nothing for no rows and closes an exactly full batch once', () => {
    const b = new InsertBatcher('I', 1);
    expect(b.end()).to.equal('');
    expect(b.row('(1)') + b.end()).to.equal('I\n(1);\n');
  });

  it('rejects a batch size that is not a positive integer', () => {
    expect(() => new InsertBatcher('I', 0)).to.throw(RangeError, /batchSize/);
    expect(() => new InsertBatcher('I', 1.5)).to.throw(RangeError);
  });
});
