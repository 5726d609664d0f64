import { expect } from 'chai';
import { generateLoginKeyPair } from '../testing/login-key-pair.js';
import { createSecurityFixture, type SecurityFixture } from '../testing/security-fixture.js';

describe('SecurityPolicies (policyFor)', () => {
  let fx: SecurityFixture;
  afterEach(async () => {
    await fx?.dispose();
  });

  it('unites config roles and stored roles and grants; ci.<name> gets its active token role; unknown users get nothing', async () => {
    fx = await createSecurityFixture({
      auth: {
        roles: { dev: { actions: ['browse'], tables: ['shop/*/*'] }, ci: { actions: ['build'], packages: ['nightly-*'] } },
        tokens: [{ user: 'ann', token: 'ann-static-token-0123', roles: ['dev'] }],
      },
    });
    const { policies, users, ciTokens } = fx.security;
    expect(await policies.policyFor('ann')).to.deep.include({ roles: ['dev'] });
    await users.create({ name: 'ann', roles: ['ci'], grants: [{ actions: ['files'], tables: [], volumes: ['inv:**'], packages: [], builds: [], templates: [] }], keys: [] }, 't');
    const ann = (await policies.policyFor('ann'))!;
    expect(ann.roles).to.deep.equal(['dev', 'ci']);
    expect([...ann.grant.actions].sort()).to.deep.equal(['browse', 'build', 'files']);
    expect(ann.grant.volumes).to.deep.equal(['inv:**']);

    expect(await policies.policyFor('ci.nightly')).to.equal(undefined);
    const token = await ciTokens.create({ name: 'nightly', role: 'ci' }, 't');
    expect(await policies.policyFor('ci.nightly')).to.deep.include({ user: 'ci.nightly', roles: ['ci'] });
    await ciTokens.revoke(token.id, 't');
    expect(await policies.policyFor('ci.nightly')).to.equal(undefined);
    expect(await policies.policyFor('nobody')).to.equal(undefined);
  });

  it('gives config admins the admin role, whatever the store holds', async () => {
    fx = await createSecurityFixture({ auth: { admins: [{ user: 'root', keys: [generateLoginKeyPair('ed25519').authorizedKey] }] } });
    expect((await fx.security.policies.policyFor('root'))!.grant.actions).to.include('admin');
  });
});
