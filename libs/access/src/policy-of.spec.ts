import { ADMIN_GRANT, GrantSchema } from '@hfit/contracts';
import { expect } from 'chai';
import { configPolicyResolver, configRolesOf } from './config-policy-resolver.js';
import { grantUnion } from './grant-union.js';
import { policyOf } from './policy-of.js';

const grant = (g: Parameters<typeof GrantSchema.parse>[0]) => GrantSchema.parse(g);

describe('grantUnion', () => {
  it('adds every list up, without duplicates, actions in their canonical order', () => {
    const u = grantUnion([grant({ actions: ['rows', 'browse'], tables: ['a/*/*'] }), grant({ actions: ['browse', 'admin'], tables: ['a/*/*', 'b/**'], builds: ['x'] })]);
    expect(u).to.deep.equal({ actions: ['browse', 'rows', 'admin'], tables: ['a/*/*', 'b/**'], volumes: [], packages: [], builds: ['x'], templates: [] });
  });

  it('of nothing is the empty grant', () => {
    expect(grantUnion([])).to.deep.equal({ actions: [], tables: [], volumes: [], packages: [], builds: [], templates: [] });
  });
});

describe('policyOf', () => {
  const roles = { reader: grant({ actions: ['browse'], tables: ['s/d/*'] }), builder: grant({ actions: ['build'], packages: ['p-*'] }) };

  it('is the union of the role grants and the user\'s own grants', () => {
    const p = policyOf('bob', ['reader', 'builder', 'reader'], [grant({ volumes: ['v:**'] })], roles);
    expect(p.user).to.equal('bob');
    expect(p.roles).to.deep.equal(['reader', 'builder']);
    expect(p.grant).to.deep.equal({ actions: ['browse', 'build'], tables: ['s/d/*'], volumes: ['v:**'], packages: ['p-*'], builds: [], templates: [] });
  });

  it('admin grants everything; an unknown role (removed from the config) grants nothing', () => {
    expect(policyOf('root', ['admin'], [], {}).grant).to.deep.equal(ADMIN_GRANT);
    const p = policyOf('bob', ['gone'], [], roles);
    expect(p.roles).to.deep.equal(['gone']);
    expect(p.grant.actions).to.deep.equal([]);
  });

  it('does not take inherited object keys for roles', () => {
    expect(policyOf('bob', ['constructor', 'toString'], [], roles).grant.actions).to.deep.equal([]);
  });
});

describe('configPolicyResolver', () => {
  const auth = {
    admins: [{ user: 'root' }],
    roles: { tester: grant({ actions: ['browse', 'build'], tables: ['**'] }), ops: grant({ actions: ['download'] }) },
    tokens: [
      { user: 'alice', roles: ['tester'] },
      { user: 'alice', roles: ['ops'] },
      { user: 'root', roles: ['tester'] },
      { user: 'norole', roles: [] },
    ],
  };

  it('gives first admins the admin role, token users their roles, adding up over several entries', async () => {
    expect(configRolesOf(auth, 'root')).to.deep.equal(['admin', 'tester']);
    expect(configRolesOf(auth, 'alice')).to.deep.equal(['tester', 'ops']);
    const alice = await configPolicyResolver(auth).policyFor('alice');
    expect(alice?.grant.actions).to.deep.equal(['browse', 'build', 'download']);
    expect((await configPolicyResolver(auth).policyFor('root'))?.grant.actions).to.include('admin');
  });

  it('knows a token user without roles (who may do nothing) and no one else', async () => {
    const norole = await configPolicyResolver(auth).policyFor('norole');
    expect(norole?.grant.actions).to.deep.equal([]);
    expect(await configPolicyResolver(auth).policyFor('mallory')).to.equal(undefined);
  });
});
