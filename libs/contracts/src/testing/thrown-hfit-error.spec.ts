import { expect } from 'chai';
import { HfitError } from '../hfit-error.js';
import { thrownHfitError } from './thrown-hfit-error.js';

describe('thrownHfitError', () => {
  it('returns the HfitError that was thrown', () => {
    const e = new HfitError('TABLE_UNKNOWN', 'no table t');
    expect(
      thrownHfitError(() => {
        throw e;
      }),
    ).to.equal(e);
  });

  it('rethrows other errors', () => {
    const other = new TypeError('boom');
    expect(() =>
      thrownHfitError(() => {
        throw other;
      }),
    ).to.throw(other);
  });

  it('fails when nothing is thrown', () => {
    expect(() => thrownHfitError(() => 1)).to.throw('expected an HfitError, but nothing was thrown');
  });
});
