import { expect } from 'chai';
import { sql } from 'kysely';
import type { SourceType } from '../connection/source-connection.js';
import { compileFilter } from './compile-filter.js';
import { FIXTURE_ROWS, openFilterFixture, type FilterFixture, type FixtureRow } from './test-fixture.js';

/** A filter valid on both servers, and what it means in JS over {@link FIXTURE_ROWS}. */
interface Benign {
  readonly filter: string;
  readonly rows: (r: FixtureRow) => boolean;
}

const month = (r: FixtureRow) => Number(r.created.slice(5, 7));
const BENIGN: readonly Benign[] = [
  { filter: 'key<34 AND key>12', rows: (r) => r.key < 34 && r.key > 12 },
  { filter: 'WHERE key<34 AND key>12', rows: (r) => r.key < 34 && r.key > 12 },
  { filter: 'where KEY >= 45', rows: (r) => r.key >= 45 },
  { filter: 'id IN (1, 2, 3, 40)', rows: (r) => [1, 2, 3, 40].includes(r.id) },
  { filter: 'id NOT IN (1, 2, 3) AND id < 6', rows: (r) => ![1, 2, 3].includes(r.id) && r.id < 6 },
  { filter: "name LIKE 'alpha%'", rows: (r) => r.name.startsWith('alpha') },
  { filter: "name NOT LIKE '%a%'", rows: (r) => !r.name.includes('a') },
  { filter: "name LIKE '%!_%' ESCAPE '!'", rows: (r) => r.name.includes('_') },
  { filter: "note LIKE '%\\%'", rows: (r) => r.note?.endsWith('%') === true },
  { filter: 'note IS NULL', rows: (r) => r.note === null },
  { filter: 'note IS NOT NULL AND id < 10', rows: (r) => r.note !== null && r.id < 10 },
  { filter: "created >= '2024-02-01'", rows: (r) => r.created >= '2024-02-01' },
  { filter: "created BETWEEN '2024-01-10' AND '2024-01-20'", rows: (r) => r.created >= '2024-01-10' && r.created <= '2024-01-20' },
  { filter: "created = DATE '2024-01-06'", rows: (r) => r.created === '2024-01-06' },
  { filter: "updated >= TIMESTAMP '2024-03-01 12:00:00'", rows: (r) => r.updated >= '2024-03-01 12:00:00' },
  { filter: 'price > 50.25', rows: (r) => Number(r.price) > 50.25 },
  { filter: 'price = 32.50 OR price < 0', rows: (r) => r.price === '32.50' || Number(r.price) < 0 },
  { filter: 'price * 2 >= 100.5', rows: (r) => Number(r.price) * 2 >= 100.5 },
  { filter: 'active = TRUE AND id < 20', rows: (r) => r.active && r.id < 20 },
  { filter: 'NOT active AND id <= 5', rows: (r) => !r.active && r.id <= 5 },
  { filter: 'active IS FALSE AND id > 38', rows: (r) => !r.active && r.id > 38 },
  // AND binds tighter than OR (node-sql-parser gets this wrong; hfit regroups)
  { filter: 'key = 14 OR key = 21 AND id > 30', rows: (r) => r.key === 14 || (r.key === 21 && r.id > 30) },
  { filter: '(key = 14 OR key = 21) AND id > 30', rows: (r) => (r.key === 14 || r.key === 21) && r.id > 30 },
  { filter: 'id < 3 OR id > 40 AND active OR key = 0', rows: (r) => r.id < 3 || (r.id > 40 && r.active) || r.key === 0 },
  { filter: "NOT (name LIKE 'beta%' OR name LIKE 'gamma%') AND id < 8", rows: (r) => !(r.name.startsWith('beta') || r.name.startsWith('gamma')) && r.id < 8 },
  { filter: "lower(name) = 'beta-6'", rows: (r) => r.name === 'beta-6' },
  { filter: "upper(name) LIKE 'GAMMA%'", rows: (r) => r.name.startsWith('gamma') },
  { filter: 'char_length(name) = 7', rows: (r) => r.name.length === 7 },
  { filter: "coalesce(note, 'none') = 'none'", rows: (r) => r.note === null },
  { filter: 'abs(key - 25) < 5', rows: (r) => Math.abs(r.key - 25) < 5 },
  { filter: '-key < -45', rows: (r) => -r.key < -45 },
  { filter: 'key + id > 80', rows: (r) => r.key + r.id > 80 },
  { filter: 'year(created) = 2023', rows: (r) => r.created.startsWith('2023') },
  { filter: 'month(created) = 2 AND day(created) > 20', rows: (r) => month(r) === 2 && Number(r.created.slice(8)) > 20 },
  { filter: "date(updated) = '2024-01-06'", rows: (r) => r.updated.startsWith('2024-01-06') },
  { filter: 'big = 9007199254740997', rows: (r) => r.big === 9007199254740997n },
  { filter: 'big > 9007199254741020', rows: (r) => r.big > 9007199254741020n },
  { filter: 'big BETWEEN -1 AND 1', rows: (r) => r.big >= -1n && r.big <= 1n },
  // Quoted numbers (what a prepare variable becomes) compare exactly, not as MySQL DOUBLEs.
  { filter: "big = '9007199254740997'", rows: (r) => r.big === 9007199254740997n },
  { filter: "big IN ('9007199254740995', '9007199254741000')", rows: (r) => r.big === 9007199254740995n || r.big === 9007199254741000n },
  { filter: "big BETWEEN '9007199254740995' AND '9007199254740996'", rows: (r) => r.big >= 9007199254740995n && r.big <= 9007199254740996n },
  { filter: "price = '6.50'", rows: (r) => r.price === '6.50' },
  { filter: 'id NOT BETWEEN 3 AND 38', rows: (r) => r.id < 3 || r.id > 38 },
  { filter: "10 > 9 AND id = 4 AND 'a' = 'a'", rows: (r) => r.id === 4 },
  { filter: 'items.key = 7', rows: (r) => r.key === 7 },
  { filter: "name = 'it''s'", rows: (r) => r.name === "it's" },
  { filter: 'id = - - 3', rows: (r) => r.id === 3 },
  { filter: 'price BETWEEN 0 AND 1', rows: (r) => Number(r.price) >= 0 && Number(r.price) <= 1 },
];

const ids = (pred: (r: FixtureRow) => boolean) => FIXTURE_ROWS.filter(pred).map((r) => r.id);

/** Non-null atoms for random boolean expressions (NULLs would need three-valued logic in JS). */
const ATOMS: readonly Benign[] = [
  { filter: 'key < 20', rows: (r) => r.key < 20 },
  { filter: 'id > 25', rows: (r) => r.id > 25 },
  { filter: 'active', rows: (r) => r.active },
  { filter: "name LIKE 'beta%'", rows: (r) => r.name.startsWith('beta') },
  { filter: 'price >= 60', rows: (r) => Number(r.price) >= 60 },
  { filter: 'id IN (1, 5, 9, 13, 17)', rows: (r) => [1, 5, 9, 13, 17].includes(r.id) },
  { filter: "created < '2024-01-15'", rows: (r) => r.created < '2024-01-15' },
];

type BoolTree = { op: 'atom'; atom: Benign } | { op: 'not'; child: BoolTree } | { op: 'and' | 'or'; children: BoolTree[] };

/**
 * A seeded random AND/OR/NOT tree, printed with only the parentheses SQL needs (plus some
 * redundant ones), so `a OR b AND c` shapes appear often: that is where node-sql-parser's
 * precedence is wrong and hfit's regrouping must be right.
 */
function randomFilter(seed: number): Benign & { readonly mixed: boolean } {
  let s = seed;
  const rnd = (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
  const gen = (depth: number): BoolTree => {
    const k = depth > 2 ? 0 : depth === 0 ? 3 + rnd(2) : rnd(5);
    if (k <= 1) return { op: 'atom', atom: ATOMS[rnd(ATOMS.length)]! };
    if (k === 2) return { op: 'not', child: gen(depth + 1) };
    return { op: k === 3 ? 'and' : 'or', children: Array.from({ length: 2 + rnd(2) }, () => gen(depth + 1)) };
  };
  const prec = (t: BoolTree) => (t.op === 'or' ? 1 : t.op === 'and' ? 2 : 3);
  let mixed = false;
  const print = (t: BoolTree, parentPrec: number): string => {
    const text =
      t.op === 'atom' ? t.atom.filter : t.op === 'not' ? `NOT ${print(t.child, 3)}` : t.children.map((c) => print(c, prec(t))).join(` ${t.op.toUpperCase()} `);
    const needed = t.op !== 'atom' && prec(t) <= parentPrec && !(t.op === 'not' && parentPrec < 3);
    const parenthesised = needed || (t.op !== 'atom' && rnd(12) === 0);
    if (t.op === 'and' && parentPrec === 1 && !parenthesised) mixed = true;
    return parenthesised ? `(${text})` : text;
  };
  const evaluate = (t: BoolTree, r: FixtureRow): boolean =>
    t.op === 'atom' ? t.atom.rows(r) : t.op === 'not' ? !evaluate(t.child, r) : t.op === 'and' ? t.children.every((c) => evaluate(c, r)) : t.children.some((c) => evaluate(c, r));
  const tree = gen(0);
  return { filter: print(tree, 0), rows: (r) => evaluate(tree, r), mixed };
}

describe('filter compiler: benign filters on MariaDB and PostgreSQL', function () {
  this.timeout(60_000);
  const fixtures = new Map<SourceType, FilterFixture>();
  before(async () => {
    for (const type of ['mysql', 'postgres'] as SourceType[]) fixtures.set(type, await openFilterFixture(type));
  });
  after(async () => {
    for (const fx of fixtures.values()) await fx.close();
  });

  async function run(type: SourceType, filter: string): Promise<number[]> {
    const fx = fixtures.get(type)!;
    const compiled = compileFilter(filter, fx.ctx);
    const rows = await fx.session.connection.kysely
      .selectFrom(sql.table(`${fx.database}.items`).as('items'))
      .select('id')
      .where(compiled.expression)
      .orderBy('id')
      .execute();
    return rows.map((r) => Number(r.id));
  }

  it(`has at least 20 of them (${BENIGN.length})`, () => expect(BENIGN.length).to.be.at.least(20));

  for (const b of BENIGN) {
    it(`${b.filter}  ->  same rows on both servers, as expected`, async () => {
      const expected = ids(b.rows);
      const [mysql, postgres] = [await run('mysql', b.filter), await run('postgres', b.filter)];
      expect(mysql, 'MariaDB').to.deep.equal(expected);
      expect(postgres, 'PostgreSQL').to.deep.equal(expected);
    });
  }

  it('60 random AND/OR/NOT combinations select what SQL precedence says, on both servers', async () => {
    let shapes = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const b = randomFilter(seed * 7919);
      if (b.mixed) shapes++;
      const expected = ids(b.rows);
      expect(await run('mysql', b.filter), `MariaDB: ${b.filter}`).to.deep.equal(expected);
      expect(await run('postgres', b.filter), `PostgreSQL: ${b.filter}`).to.deep.equal(expected);
    }
    expect(shapes, 'filters with an unparenthesised "x OR y AND z"').to.be.at.least(10);
  });

  it('no constant of a filter appears in the SQL text (all are bound parameters)', () => {
    for (const [type, fx] of fixtures) {
      const c = compileFilter("name = 'zz_marker' OR price > 123.45 OR big = 9007199254740997 OR created = DATE '2031-01-02'", fx.ctx);
      const q = fx.session.connection.kysely.selectFrom(sql.table(`${fx.database}.items`).as('items')).select('id').where(c.expression).compile();
      for (const v of ['zz_marker', '123.45', '9007199254740997', '2031-01-02']) {
        expect(q.sql, `${type} SQL`).to.not.contain(v);
        expect(q.parameters.map(String), `${type} parameters`).to.include(v);
      }
    }
  });
});
