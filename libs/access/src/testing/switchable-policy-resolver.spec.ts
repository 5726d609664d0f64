import { expect } from 'chai';
import { SwitchablePolicyResolver } from './switchable-policy-resolver.js';

describe('SwitchablePolicyResolver', () => {
  it('answers what the test set last, and counts the questions', async () => {
    const r = new SwitchablePolicyResolver({ bob: { actions: ['build'] } });
    expect((await r.policyFor('bob'))?.grant.actions).to.deep.equal(['build']);
    r.grant('bob', { actions: ['browse'] });
    expect((await r.policyFor('bob'))?.grant.actions).to.deep.equal(['browse']);
    r.remove('bob');
    expect(await r.policyFor('bob')).to.equal(undefined);
    expect(r.asked.get('bob')).to.equal(3);
  });
});
