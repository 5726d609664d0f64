import { expect } from 'chai';
import { StaticTokenMatcher } from './static-token-matcher.js';

describe('StaticTokenMatcher', () => {
  const matcher = new StaticTokenMatcher([
    { user: 'alice', token: 'alice-token-0123456789' },
    { user: 'bob', token: 'bob-token-0123456789ab' },
  ]);

  it('maps each token to its user', () => {
    expect(matcher.match('alice-token-0123456789')).to.equal('alice');
    expect(matcher.match('bob-token-0123456789ab')).to.equal('bob');
  });

  it('rejects unknown tokens, prefixes, extensions and case changes', () => {
    for (const t of ['', 'alice-token-012345678', 'alice-token-01234567890', 'ALICE-TOKEN-0123456789', 'nobody']) {
      expect(matcher.match(t), t).to.equal(undefined);
    }
  });

  it('matches nothing when no token is configured', () => {
    expect(new StaticTokenMatcher([]).match('alice-token-0123456789')).to.equal(undefined);
  });
});
