import { expect } from 'chai';
import { sql } from 'kysely';
import { isHfitError } from '@hfit/contracts';
import type { SourceType } from '../connection/source-connection.js';
import { compileFilter, compileOptionalFilter } from './compile-filter.js';
import type { FilterNode } from './filter-node.js';
import { openFilterFixture, type FilterFixture } from './test-fixture.js';

const r = String.raw;

/** The error compileFilter throws for `filter` (fails the test if it compiles). */
function failure(fx: FilterFixture, filter: string): { code: string; message: string; field: string | undefined } {
  try {
    const c = compileFilter(filter, fx.ctx);
    throw new Error(`expected ${JSON.stringify(filter)} to be refused, got ${c.text}`);
  } catch (e) {
    if (!isHfitError(e)) throw e;
    return { code: e.code, message: e.message, field: e.field };
  }
}

for (const type of ['mysql', 'postgres'] as SourceType[]) {
  describe(`compileFilter (${type})`, function () {
    this.timeout(30_000);
    let fx: FilterFixture;
    beforeEach(async () => {
      fx = await openFilterFixture(type);
    });
    afterEach(async () => fx.close());

    const select = (expression: ReturnType<typeof compileFilter>['expression']) =>
      fx.session.connection.kysely.selectFrom(sql.table(`${fx.database}.items`).as('items')).select('id').where(expression).orderBy('id');
    const ids = async (filter: string) => (await select(compileFilter(filter, fx.ctx).expression).execute()).map((x) => Number(x.id));
    const q = (name: string) => (type === 'mysql' ? `\`${name}\`` : `"${name}"`);

    it('compiles `key<34 AND key>12` with or without WHERE (key is reserved in MariaDB)', async () => {
      const expected: FilterNode = {
        kind: 'and',
        operands: [
          { kind: 'comparison', operator: '<', left: { kind: 'column', name: 'key' }, right: { kind: 'literal', type: 'number', value: '34' } },
          { kind: 'comparison', operator: '>', left: { kind: 'column', name: 'key' }, right: { kind: 'literal', type: 'number', value: '12' } },
        ],
      };
      for (const filter of ['key<34 AND key>12', 'WHERE key<34 AND key>12', '  where\n key < 34 and KEY > 12  ']) {
        const c = compileFilter(filter, fx.ctx);
        expect(c.ast).to.deep.equal(expected);
        expect(c.columns).to.deep.equal(['key']);
        expect(c.text).to.equal(`${q('key')} < 34 AND ${q('key')} > 12`);
      }
      expect(await ids('key<34 AND key>12')).to.deep.equal([2, 3, 4, 9, 10, 11, 17, 18, 19, 24, 25, 26, 31, 32, 33, 38, 39, 40]);
      expect(await ids(`${q('key')} < 34 AND ${q('key')} > 12`)).to.have.length(18);
    });

    it('treats an absent or blank filter as "every row" only through compileOptionalFilter', () => {
      for (const blank of [undefined, null, '', '   ', '\n\t']) expect(compileOptionalFilter(blank, fx.ctx)).to.equal(undefined);
      expect(compileOptionalFilter('id = 1', fx.ctx)?.text).to.equal(`${q('id')} = 1`);
      expect(failure(fx, '   ')).to.include({ code: 'FILTER_SYNTAX' });
      expect(failure(fx, 'WHERE').message).to.contain('WHERE is not followed by a condition');
    });

    it('regroups AND before OR (node-sql-parser associates them left to right)', () => {
      const c = compileFilter('id = 1 OR id = 2 AND key = 3', fx.ctx);
      if (c.ast.kind !== 'or') expect.fail(`expected an OR at the top, got ${c.ast.kind}`);
      expect(c.ast.operands.map((o) => o.kind)).to.deep.equal(['comparison', 'and']);
      expect(c.text).to.equal(`${q('id')} = 1 OR (${q('id')} = 2 AND ${q('key')} = 3)`);
    });

    it('lists the columns read, in order of first use, spelt as the catalog spells them', () => {
      const label = type === 'mysql' ? 'LABEL' : '"Label"';
      expect(compileFilter(`note IS NULL OR ${label} = 'x' AND key > id AND key < 3`, fx.ctx).columns).to.deep.equal(['note', 'Label', 'key', 'id']);
    });

    it('reads string literals with the dialect\'s escapes and binds the decoded value', async () => {
      const cases: Array<[string, string]> =
        type === 'mysql'
          ? [
              [r`'a\'b'`, "a'b"],
              ["'it''s'", "it's"],
              [`"it's"`, "it's"],
              [r`'tab\there\n'`, 'tab\there\n'],
              [r`'50\%'`, r`50\%`],
              [r`'back\\slash'`, r`back\slash`],
              [`N'x'`, 'x'],
            ]
          : [
              [r`'back\slash'`, r`back\slash`],
              ["'it''s'", "it's"],
              [r`E'a\'b'`, "a'b"],
              [r`E'\x41\u00e9\101\n'`, 'AéA\n'],
              [`N'x'`, 'x'],
            ];
      for (const [text, value] of cases) {
        const c = compileFilter(`name = ${text}`, fx.ctx);
        expect(c.ast, text).to.deep.equal({ kind: 'comparison', operator: '=', left: { kind: 'column', name: 'name' }, right: { kind: 'literal', type: 'string', value } });
        expect(select(c.expression).compile().parameters).to.deep.equal([value]);
      }
      const backslash = type === 'mysql' ? r`'back\\slash'` : r`'back\slash'`;
      expect(await ids(`note = ${backslash}`)).to.deep.equal([41]);
    });

    it('quotes identifiers per dialect: PostgreSQL folds unquoted names, MySQL ignores case', async () => {
      if (type === 'postgres') {
        expect(await ids(`"Label" = 'Odd' AND id < 4`)).to.deep.equal([1, 3]);
        expect(failure(fx, "Label = 'Odd'")).to.deep.include({ code: 'COLUMN_UNKNOWN' });
        expect(failure(fx, "Label = 'Odd'").message).to.contain('no column "label"');
        expect(failure(fx, '"KEY" < 3').message).to.contain('no column "KEY"');
        expect(failure(fx, 'id').message).to.contain('column "id" (integer) as a condition');
      } else {
        for (const f of ["label = 'Odd' AND id < 4", "`LABEL` = 'Odd' AND id < 4", "Label = 'Odd' AND id < 4"])
          expect(await ids(f), f).to.deep.equal([1, 3]);
        expect(compileFilter('LABEL = 1', fx.ctx).columns).to.deep.equal(['Label']);
        expect(failure(fx, '"key" < 3').message).to.contain('"key" (a string in MySQL, not the column)');
      }
    });

    it('accepts qualifiers naming this table (and its database), nothing else', async () => {
      expect(await ids('items.key = 7')).to.deep.equal([1]);
      expect(await ids(`${q(fx.database)}.items.${q('key')} = 7`)).to.deep.equal([1]);
      expect(failure(fx, 'other.key = 7').message).to.contain('column "key" of another table "other"');
      expect(failure(fx, 'elsewhere.items.key = 7').message).to.contain('column "key" of another database "elsewhere"');
    });

    it('keeps numbers exact: big integers and decimals are never rounded through a double', async () => {
      expect(await ids('big = 9007199254740994')).to.deep.equal([1]);
      expect(await ids('big <> 9007199254740994 AND big > 9007199254740993 AND big < 9007199254740996')).to.deep.equal([2]);
      expect(await ids('price = 0.1')).to.deep.equal([41]);
      expect(await ids('price = 3.250000000000000000000000000001')).to.deep.equal([]);
      expect(await ids('big = 1e0')).to.deep.equal([41]);
      expect(failure(fx, 'id = 1e400').message).to.contain('number 1e400 (out of range)');
      if (type === 'mysql') expect(failure(fx, `price = ${'9'.repeat(36)}`).message).to.contain('too many digits');
    });

    it('compiles its own normalised text back to the same tree', () => {
      const filters = [
        'key<34 AND key>12',
        "name = 'it''s' OR note LIKE '%!_%' ESCAPE '!'",
        'id = 1 OR id = 2 AND NOT (key = 3 OR key = 4)',
        "-key < -45 AND (key + 1) * 2 > id - -3 AND abs(-key) IS NOT NULL",
        "coalesce(note, 'x') IN ('x', 'n1') AND created BETWEEN DATE '2024-01-01' AND '2024-02-01'",
        "updated >= TIMESTAMP '2024-03-01 12:00:00' AND year(created) = 2024 AND active IS NOT TRUE",
        "big NOT IN (-1, 1, 9007199254740997) AND price NOT BETWEEN -1.5 AND 2.25 AND name NOT LIKE 'a%'",
        type === 'mysql' ? r`name = 'a\\b\'c' OR name = "q"` : r`name = E'a\\b\'c' OR name ILIKE 'A%'`,
      ];
      for (const f of filters) {
        const c = compileFilter(f, fx.ctx);
        expect(compileFilter(c.text, fx.ctx).ast, `${f} -> ${c.text}`).to.deep.equal(c.ast);
      }
    });

    it('reports syntax errors with the position in the filter as written', () => {
      const e = failure(fx, "name = 'x' AND id = = 1");
      expect(e.code).to.equal('FILTER_SYNTAX');
      expect(e.message).to.contain('at character 21 (near "= 1")');
      expect(e.field).to.equal('exports.rows.data.filter');
      expect(failure(fx, "id = 1 AND name = 'abc").message).to.contain('at character 19');
      expect(failure(fx, 'id = 1 AND').message).to.contain('ends too early');
      expect(failure(fx, 'id 5').code).to.equal('FILTER_SYNTAX');
    });

    it('names the offending part in every rejection', () => {
      const cases: Array<[string, string]> = [
        ['sleep(1) = 0', 'filter rejected: function "sleep" is not allowed'],
        ['id IN (SELECT id FROM other)', 'subquery (SELECT)'],
        ['id = 1 UNION SELECT 1', 'filter rejected: UNION'],
        ['id = 1 -- x', 'comment "--" (at character 8)'],
        ['id = @x', 'variable @x'],
        ["other.secret = 'x'", 'column "secret" of another table "other"'],
        ['id = 1 INTO OUTFILE \'/tmp/x\'', 'filter rejected: INTO'],
        ['id = 1; DROP TABLE items', '";" (multiple statements)'],
        ['lower(name) = upper(name, 2)', 'function "upper" with 2 argument(s)'],
        ['id < 2 = 1', 'a condition as an operand of "="'],
      ];
      for (const [filter, part] of cases) {
        const e = failure(fx, filter);
        expect(e.code, filter).to.equal('FILTER_REJECTED');
        expect(e.message, filter).to.contain(part);
      }
      expect(failure(fx, 'nope = 1')).to.deep.include({ code: 'COLUMN_UNKNOWN', field: 'exports.rows.data.filter' });
    });

    it('survives 2500 random mutations of valid filters: each compiles (and round-trips) or fails with an HfitError', () => {
      const seeds = [
        'key<34 AND key>12',
        "name = 'it''s' OR note LIKE '%!_%' ESCAPE '!'",
        'id IN (1, 2) AND NOT (price > 1.5 OR active)',
        "coalesce(note, 'x') = 'x' AND year(created) = 2024",
        'items.key BETWEEN -1 AND 5 OR name IS NOT NULL',
        r`E'a\'b' = name AND "Label" = 'x'`,
      ];
      const alphabet = "()',.;-*/+=<>!@#$%^&|~`\"\\ ?:[]{}aeEnNxX019_\t\n\u2019SELECTUNIONsleep";
      let state = 7;
      const rnd = (n: number) => (state = (state * 1103515245 + 12345) % 2147483648) % n;
      const outcomes: Record<string, number> = {};
      for (let i = 0; i < 2500; i++) {
        let f = seeds[rnd(seeds.length)]!;
        for (let m = 1 + rnd(3); m > 0; m--) {
          const at = rnd(f.length + 1);
          const ch = alphabet[rnd(alphabet.length)]!;
          const op = rnd(3);
          f = f.slice(0, at) + (op === 1 ? '' : ch) + f.slice(op === 0 ? at : at + 1);
        }
        try {
          const c = compileFilter(f, fx.ctx);
          expect(compileFilter(c.text, fx.ctx).ast, `${f} -> ${c.text}`).to.deep.equal(c.ast);
          outcomes.ok = (outcomes.ok ?? 0) + 1;
        } catch (e) {
          if (!isHfitError(e)) throw new Error(`${JSON.stringify(f)} crashed the compiler: ${String(e)}`);
          outcomes[e.code] = (outcomes[e.code] ?? 0) + 1;
        }
      }
      expect(Object.keys(outcomes).sort()).to.deep.equal(['COLUMN_UNKNOWN', 'FILTER_REJECTED', 'FILTER_SYNTAX', 'ok']);
    });

    it('refuses a context whose dialect does not match the catalog', () => {
      const other: SourceType = type === 'mysql' ? 'postgres' : 'mysql';
      expect(() => compileFilter('id = 1', { ...fx.ctx, dialect: other })).to.throw(/does not match/);
    });
  });
}
