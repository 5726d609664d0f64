import { expect } from 'chai';
import { orderByForeignKeys } from './order-by-foreign-keys.js';

describe('orderByForeignKeys', () => {
  it('puts parents before children and keeps the given order otherwise', () => {
    const order = orderByForeignKeys(
      ['items', 'customers', 'orders', 'products', 'notes'],
      [
        ['items', 'orders'],
        ['items', 'products'],
        ['orders', 'customers'],
        ['orders', 'elsewhere'],
        ['notes', 'notes'],
      ],
    );
    expect(order).to.deep.equal(['customers', 'orders', 'products', 'items', 'notes']);
  });

  it('places tables on a cycle after the others, in the given order', () => {
    expect(orderByForeignKeys(['a', 'b', 'c'], [['a', 'b'], ['b', 'a']])).to.deep.equal(['c', 'a', 'b']);
  });
});
