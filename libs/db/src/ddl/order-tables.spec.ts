import { expect } from 'chai';
import type { TableInfo } from '../introspection/table-info.js';
import { orderTables } from './order-tables.js';

const table = (name: string, ...refs: string[]): TableInfo => ({
  database: 'd',
  name,
  columns: [],
  primaryKey: [],
  foreignKeys: refs.map((r) => ({ name: `fk_${name}_${r}`, columns: ['x'], refDatabase: r.includes('.') ? (r.split('.')[0] ?? '') : 'd', refTable: r.split('.').pop() ?? '', refColumns: ['id'] })),
});

describe('orderTables', () => {
  it('puts referenced tables first, ties by name', () => {
    const { tables, deferred } = orderTables([table('c', 'b'), table('b', 'a'), table('a'), table('z')]);
    expect(tables.map((t) => t.name)).to.deep.equal(['a', 'b', 'c', 'z']);
    expect(deferred.size).to.equal(0);
  });

  it('ignores self references and tables outside the list', () => {
    const { tables, deferred } = orderTables([table('b', 'b', 'other.x'), table('a', 'missing')]);
    expect(tables.map((t) => t.name)).to.deep.equal(['a', 'b']);
    expect(deferred.size).to.equal(0);
  });

  it('breaks a cycle at the first table by name and defers its open foreign keys', () => {
    const { tables, deferred } = orderTables([table('y', 'x'), table('x', 'y'), table('w', 'x')]);
    expect(tables.map((t) => t.name)).to.deep.equal(['x', 'w', 'y']);
    expect([...deferred.entries()].map(([k, v]) => [k, [...v]])).to.deep.equal([['d\u0000x', ['fk_x_y']]]);
  });

  it('does not depend on input order', () => {
    const list = [table('a', 'c'), table('b'), table('c', 'b'), table('d', 'a')];
    const names = (ts: readonly TableInfo[]) => orderTables(ts).tables.map((t) => t.name);
    expect(names([...list].reverse())).to.deep.equal(names(list));
  });
});
