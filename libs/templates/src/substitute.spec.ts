import { thrownHfitError } from '@hfit/contracts/testing';
import { expect } from 'chai';
import { escapeGlob } from './escape-glob.js';
import { substitute } from './substitute.js';
import type { SubstitutionContext } from './substitution-context.js';

const ctx: SubstitutionContext = { inputs: ['42', 'b'], vars: new Map([['dataid', '7'], ['usrId', 'u1']]) };

describe('substitute', () => {
  it('replaces $N, ${N} and ${name}', () => {
    expect(substitute('basedata_$1', ctx)).to.equal('basedata_42');
    expect(substitute('${1}0-$2-${dataid}_${usrId}', ctx)).to.equal('420-b-7_u1');
    expect(substitute('no references', ctx)).to.equal('no references');
  });

  it('treats $$ as a literal $ and leaves other lone $ alone', () => {
    expect(substitute('cost $$1 is $ 5, 100$', ctx)).to.equal('cost $1 is $ 5, 100$');
    expect(substitute('$${dataid}', ctx)).to.equal('${dataid}');
    expect(substitute('\\$1', ctx)).to.equal('\\42'); // backslash is not an escape
  });

  it('rejects an unknown variable, naming it and the defined ones', () => {
    const e = thrownHfitError(() => substitute('${usrid}', ctx));
    expect(e.code).to.equal('VARIABLE_UNKNOWN');
    expect(e.message).to.include('${usrid}').and.include('did you mean ${usrId}?').and.include('${dataid}, ${usrId}');
  });

  it('rejects $N past the inputs, saying how many were given', () => {
    const e = thrownHfitError(() => substitute('x_$3', ctx));
    expect(e.code).to.equal('INPUT_OUT_OF_RANGE');
    expect(e.message).to.include('2 inputs were given').and.include('at least 3 arguments');
    expect(thrownHfitError(() => substitute('$0', ctx)).code).to.equal('INPUT_OUT_OF_RANGE');
  });

  it('rejects bad syntax', () => {
    expect(thrownHfitError(() => substitute('${dataid', ctx)).code).to.equal('TEMPLATE_INVALID');
    expect(thrownHfitError(() => substitute('$dataid', ctx)).message).to.include('${dataid}');
    expect(thrownHfitError(() => substitute('${a-b}', ctx)).code).to.equal('TEMPLATE_INVALID');
  });

  it('escapes values, not literal text, when asked (globs)', () => {
    const c: SubstitutionContext = { inputs: ['*'], vars: new Map([['x', 'a[1]?']]) };
    expect(substitute('*_$1_${x}.txt', c, { escapeValue: escapeGlob })).to.equal('*_\\*_a\\[1\\]\\?.txt');
  });
});
