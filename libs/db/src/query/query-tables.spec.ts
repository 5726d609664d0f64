import { isHfitError } from '@hfit/contracts';
import { expect } from 'chai';
import { queryTables } from './query-tables.js';

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isHfitError(err, 'FORBIDDEN')) return err.message;
    throw err;
  }
  throw new Error('expected FORBIDDEN');
}

describe('queryTables', () => {
  it('lists every table a SELECT reads: FROM, joins, subqueries, once each', () => {
    expect(queryTables('SELECT customer_id FROM shop.orders WHERE id = ?', 'mysql')).to.deep.equal([{ database: 'shop', table: 'orders' }]);
    const many = queryTables(
      'SELECT o.a FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id WHERE o.id IN (SELECT x FROM other.t) AND o.b = (SELECT max(y) FROM shop.orders) LIMIT 1',
      'mysql',
    );
    expect(many.map((t) => `${t.database}.${t.table}`).sort()).to.deep.equal(['other.t', 'shop.customers', 'shop.orders']);
    expect(queryTables('SELECT customer_id FROM app.events WHERE id = $1', 'postgres')).to.deep.equal([{ database: 'app', table: 'events' }]);
    expect(queryTables('SELECT 1', 'postgres')).to.deep.equal([]);
    expect(queryTables('SELECT `a b`.`c` FROM `my db`.`or/ders` AS `a b`', 'mysql')).to.deep.equal([{ database: 'my db', table: 'or/ders' }]);
  });

  it('does not count the names of WITH clauses as tables, but the tables inside them', () => {
    expect(queryTables('WITH x AS (SELECT id FROM shop.orders) SELECT id FROM x', 'mysql')).to.deep.equal([{ database: 'shop', table: 'orders' }]);
  });

  it('allows plain scalar functions and aggregates', () => {
    expect(queryTables("SELECT COALESCE(MAX(id), 0), CONCAT(lower(name), '-x') FROM shop.orders WHERE id = ?", 'mysql')).to.have.length(1);
  });

  it('refuses what would make the tables unknowable', () => {
    const cases: [string, 'mysql' | 'postgres', RegExp][] = [
      ['SELECT id FROM orders WHERE id = ?', 'mysql', /without its database/],
      ['SELECT id FROM orders', 'postgres', /without its database/],
      ["SELECT query_to_xml('select * from secret.t', true, false, '')", 'postgres', /query_to_xml/],
      ["SELECT LOAD_FILE('/etc/passwd')", 'mysql', /load_file/],
      ['SELECT x FROM db.app.events', 'postgres', /more than two parts/],
      ['SELECT 1 /*!50000 , (SELECT s FROM sec.t) */', 'mysql', /executable comment/],
      ['SELECT 1 /*M!100000 , (SELECT s FROM sec.t) */', 'mysql', /executable comment/],
      ['SELECT 1; SELECT 2', 'mysql', /exactly one SELECT/],
      ['DELETE FROM shop.orders', 'mysql', /exactly one SELECT/],
      ['SELEC nonsense', 'mysql', /not SQL/],
      ['SELECT public.f(1)', 'postgres', /public\.f/],
    ];
    for (const [sql, type, why] of cases) expect(refusal(() => queryTables(sql, type, 'dbquery of "x"')), sql).to.match(why).and.to.contain('dbquery of "x"');
  });
});
