import { thrownHfitError } from '@hfit/contracts/testing';
import { expect } from 'chai';
import { bindQuery, dollarPlaceholder, parameteriseQuery, questionMarkPlaceholder } from './bind-query.js';
import type { SubstitutionContext } from './substitution-context.js';

const ctx: SubstitutionContext = { inputs: ["1' OR '1'='1"], vars: new Map([['dataid', '12'], ['name', 'x']]) };
const q = 'SELECT usrId FROM db.t WHERE dataid=${dataid} AND k = $1 AND n=${dataid} ORDER BY utime LIMIT 1';

describe('parameteriseQuery', () => {
  it('uses ? placeholders for MySQL and binds the values in order', () => {
    expect(parameteriseQuery(q, ctx, questionMarkPlaceholder)).to.deep.equal({
      sql: 'SELECT usrId FROM db.t WHERE dataid=? AND k = ? AND n=? ORDER BY utime LIMIT 1',
      params: ['12', "1' OR '1'='1", '12'],
    });
  });

  it('uses $1..$n placeholders for PostgreSQL', () => {
    expect(parameteriseQuery(q, ctx, dollarPlaceholder)).to.deep.equal({
      sql: 'SELECT usrId FROM db.t WHERE dataid=$1 AND k = $2 AND n=$3 ORDER BY utime LIMIT 1',
      params: ['12', "1' OR '1'='1", '12'],
    });
  });

  it('gives dialect-neutral parts that interleave with params', () => {
    expect(bindQuery('a=${name} AND b=${dataid}', ctx)).to.deep.equal({ parts: ['a=', ' AND b=', ''], params: ['x', '12'] });
  });

  it('leaves quotes and $$ alone when no reference is inside them', () => {
    expect(parameteriseQuery("SELECT 'it''s $$5', \"col\" FROM t WHERE a=${name}", ctx, dollarPlaceholder).sql).to.equal(
      "SELECT 'it''s $5', \"col\" FROM t WHERE a=$1",
    );
  });

  for (const [what, sql] of [
    ['a single-quoted literal', "SELECT 1 FROM t WHERE n LIKE '%${name}%'"],
    ['a literal after an escaped quote', "SELECT 1 FROM t WHERE n = 'a\\'${name}'"],
    ['a double-quoted string', 'SELECT 1 FROM t WHERE n = "${name}"'],
    ['a backquoted identifier', 'SELECT `${name}` FROM t'],
    ['a line comment', 'SELECT 1 -- ${name}\nFROM t'],
    ['a block comment', 'SELECT 1 /* ${name} */ FROM t'],
  ] as const) {
    it(`rejects a reference inside ${what}`, () => {
      const e = thrownHfitError(() => parameteriseQuery(sql, ctx, questionMarkPlaceholder));
      expect(e.code).to.equal('QUERY_REJECTED');
      expect(e.message).to.include('${name}');
    });
  }

  it('tells the user to write the variable unquoted', () => {
    const e = thrownHfitError(() => parameteriseQuery("WHERE n LIKE '%${name}%'", ctx, questionMarkPlaceholder));
    expect(e.message).to.include('write ${name} unquoted').and.include('bound as a string');
  });

  it('continues scanning correctly after quotes and comments close', () => {
    expect(parameteriseQuery("SELECT '--' /* x */ FROM t -- c\nWHERE a=${name} # c", ctx, questionMarkPlaceholder)).to.deep.equal({
      sql: "SELECT '--' /* x */ FROM t -- c\nWHERE a=? # c",
      params: ['x'],
    });
  });

  it('can read backslashes as literal (PostgreSQL standard strings)', () => {
    expect(
      parameteriseQuery("SELECT 'C:\\' FROM t WHERE a=${name}", ctx, dollarPlaceholder, { backslashEscapes: false }).sql,
    ).to.equal("SELECT 'C:\\' FROM t WHERE a=$1");
  });

  it('reports unknown variables and missing inputs', () => {
    expect(thrownHfitError(() => bindQuery('a=${nope}', ctx)).code).to.equal('VARIABLE_UNKNOWN');
    expect(thrownHfitError(() => bindQuery('a=$2', ctx)).code).to.equal('INPUT_OUT_OF_RANGE');
  });
});
