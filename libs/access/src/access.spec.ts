import { HfitError, type GrantInput } from '@hfit/contracts';
import { GrantSchema } from '@hfit/contracts';
import { expect } from 'chai';
import { Access, grantPath } from './access.js';
import { policyOf } from './policy-of.js';

function access(grant: GrantInput, user = 'bob'): Access {
  return new Access(policyOf(user, [], [GrantSchema.parse(grant)], {}));
}

function forbiddenMessage(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(HfitError);
    expect((err as HfitError).code).to.equal('FORBIDDEN');
    expect((err as HfitError).permanent).to.equal(true);
    return (err as HfitError).message;
  }
  throw new Error('expected FORBIDDEN');
}

describe('Access', () => {
  describe('actions', () => {
    it('allows exactly the actions granted', () => {
      const a = access({ actions: ['browse', 'rows'] });
      expect(a.can('browse')).to.equal(true);
      expect(a.can('rows')).to.equal(true);
      expect(a.can('files')).to.equal(false);
      expect(a.can('admin')).to.equal(false);
      expect(() => a.requireAction('rows')).not.to.throw();
    });

    it('names the user, what they tried and the action to ask for', () => {
      const msg = forbiddenMessage(() => access({ actions: ['browse'] }).requireAction('download'));
      expect(msg).to.contain('"bob"').and.to.contain('download packages').and.to.contain('"download" action');
    });

    it('an empty policy allows nothing', () => {
      const a = access({});
      for (const action of ['browse', 'rows', 'files', 'build', 'download', 'admin'] as const) expect(a.can(action), action).to.equal(false);
      expect(a.canTable('s', 'd', 't')).to.equal(false);
      expect(a.canSeeSource('s')).to.equal(false);
      expect(a.canSeeVolume('v')).to.equal(false);
      expect(a.canPackage('p')).to.equal(false);
    });
  });

  describe('tables', () => {
    const a = access({ tables: ['shop_mysql/shop/*', '*/analytics/events', 'pg/a?p/**'] });

    it('grants tables matching a <source>/<database>/<table> pattern', () => {
      expect(a.canTable('shop_mysql', 'shop', 'orders')).to.equal(true);
      expect(a.canTable('shop_mysql', 'shop', 'customers')).to.equal(true);
      expect(a.canTable('shop_mysql', 'other', 'orders')).to.equal(false);
      expect(a.canTable('any', 'analytics', 'events')).to.equal(true);
      expect(a.canTable('any', 'analytics', 'events2')).to.equal(false);
      expect(a.canTable('pg', 'app', 'x')).to.equal(true);
      expect(a.canTable('pg', 'apps', 'x')).to.equal(false);
    });

    it('treats a name holding "/" or "." as one level', () => {
      expect(a.canTable('shop_mysql', 'shop', 'a/b')).to.equal(true);
      expect(a.canTable('shop_mysql', 'shop/x', 'orders')).to.equal(false);
      expect(access({ tables: ['s/d/t'] }).canTable('s', 'd', 't/x')).to.equal(false);
      expect(access({ tables: ['s/*/t'] }).canTable('s', 'd.e', 't')).to.equal(true);
    });

    it('"**" grants every table', () => {
      const all = access({ tables: ['**'] });
      expect(all.canTable('x', 'y', 'z')).to.equal(true);
      expect(all.canSeeSource('x')).to.equal(true);
      expect(all.canSeeSource('x', 'y')).to.equal(true);
    });

    it('lists a source or database only when some table inside could be granted', () => {
      expect(a.canSeeSource('shop_mysql')).to.equal(true);
      expect(a.canSeeSource('shop_mysql', 'shop')).to.equal(true);
      expect(a.canSeeSource('shop_mysql', 'other')).to.equal(false);
      // */analytics/events: every source has a database "analytics" that may hold the table.
      expect(a.canSeeSource('elsewhere')).to.equal(true);
      expect(a.canSeeSource('elsewhere', 'analytics')).to.equal(true);
      expect(a.canSeeSource('elsewhere', 'shop')).to.equal(false);
      const short = access({ tables: ['shop_mysql/shop'] });
      expect(short.canSeeSource('shop_mysql')).to.equal(false);
      expect(short.canSeeSource('shop_mysql', 'shop')).to.equal(false);
    });

    it('names the table and the grant to ask for', () => {
      expect(forbiddenMessage(() => a.requireTable('shop_mysql', 'other', 'orders'))).to.contain('shop_mysql/other/orders').and.to.contain('"tables"');
      expect(forbiddenMessage(() => a.requireSeeSource('nope', 'shop'))).to.contain('nope/shop');
      expect(forbiddenMessage(() => access({}).requireSeeSource('nope'))).to.contain('source nope');
      expect(() => a.requireSeeSource('shop_mysql', 'shop')).not.to.throw();
    });
  });

  describe('volumes', () => {
    const a = access({ volumes: ['invoices:2024/**', 'scans:*.pdf', 'public'] });

    it('grants paths matching a <volume>:<path> pattern, relative to the root', () => {
      expect(a.canVolumePath('invoices', '2024/01/a.pdf')).to.equal(true);
      expect(a.canVolumePath('invoices', './2024/a.pdf')).to.equal(true);
      expect(a.canVolumePath('invoices', '2024//a.pdf')).to.equal(true);
      expect(a.canVolumePath('invoices', '2023/a.pdf')).to.equal(false);
      expect(a.canVolumePath('scans', 'x.pdf')).to.equal(true);
      expect(a.canVolumePath('scans', 'sub/x.pdf')).to.equal(false);
      expect(a.canVolumePath('scans', 'x.txt')).to.equal(false);
      // A pattern without ":" names the whole volume.
      expect(a.canVolumePath('public', 'any/thing.txt')).to.equal(true);
    });

    it('never grants traversal, absolute, backslash or NUL paths, nor the root itself', () => {
      for (const bad of ['2024/../2023/a.pdf', '../invoices/2024/a.pdf', '/2024/a.pdf', '2024\\a.pdf', '2024/a\0.pdf', '', '.', './']) {
        expect(a.canVolumePath('invoices', bad), JSON.stringify(bad)).to.equal(false);
        expect(access({ volumes: ['**'] }).canVolumePath('invoices', bad), JSON.stringify(bad)).to.equal(false);
      }
    });

    it('matches a volume name as one name: "**" and "*" cover any, even one holding "/" or ".."', () => {
      expect(access({ volumes: ['**'] }).canSeeVolume('invoices/..')).to.equal(true);
      expect(access({ volumes: ['*:**'] }).canSeeVolume('a/b')).to.equal(true);
      expect(access({ volumes: ['invoices:**'] }).canSeeVolume('invoices/..')).to.equal(false);
    });

    it('lists a volume only when some pattern names it, a folder when something below it could be granted', () => {
      expect(a.canSeeVolume('invoices')).to.equal(true);
      expect(a.canSeeVolume('scans')).to.equal(true);
      expect(a.canSeeVolume('secret')).to.equal(false);
      expect(a.canSeeVolumeFolder('invoices', '')).to.equal(true);
      expect(a.canSeeVolumeFolder('invoices', '2024')).to.equal(true);
      expect(a.canSeeVolumeFolder('invoices', '2024/01')).to.equal(true);
      expect(a.canSeeVolumeFolder('invoices', '2023')).to.equal(false);
      expect(a.canSeeVolumeFolder('scans', 'sub')).to.equal(false);
      expect(a.canSeeVolumeFolder('secret', '')).to.equal(false);
      expect(a.canSeeVolumeFolder('invoices', '2024/../2023')).to.equal(false);
      expect(access({ volumes: ['v:**/*.pdf'] }).canSeeVolumeFolder('v', 'a/b/c')).to.equal(true);
      expect(access({ volumes: ['v:a/exact'] }).canSeeVolumeFolder('v', 'a/exact')).to.equal(true);
    });

    it('names the volume path and the grant to ask for', () => {
      expect(forbiddenMessage(() => a.requireVolumePath('invoices', './2023/a.pdf'))).to.contain('invoices:2023/a.pdf').and.to.contain('"volumes"');
      expect(forbiddenMessage(() => a.requireSeeVolume('secret'))).to.contain('volume secret');
      expect(forbiddenMessage(() => a.requireSeeVolumeFolder('invoices', '2023'))).to.contain('invoices:2023');
      expect(forbiddenMessage(() => a.requireSeeVolumeFolder('secret', ''))).to.contain('volume secret');
    });
  });

  describe('packages, builds and templates of others', () => {
    const a = access({ actions: ['build'], packages: ['order-*'], builds: ['ci.*'], templates: ['alice'] });

    it('grants package names by pattern', () => {
      expect(a.canPackage('order-42')).to.equal(true);
      expect(a.canPackage('invoice-42')).to.equal(false);
      expect(forbiddenMessage(() => a.requirePackage('invoice-42'))).to.contain('"invoice-42"').and.to.contain('"packages"');
    });

    it('always shows own builds and templates, others\' only by pattern', () => {
      expect(a.canSeeBuildsOf('bob')).to.equal(true);
      expect(a.canSeeBuildsOf('ci.nightly')).to.equal(true);
      expect(a.canSeeBuildsOf('alice')).to.equal(false);
      expect(a.canSeeTemplatesOf('bob')).to.equal(true);
      expect(a.canSeeTemplatesOf('alice')).to.equal(true);
      expect(a.canSeeTemplatesOf('carol')).to.equal(false);
      expect(access({}).canSeeBuildsOf('bob')).to.equal(true);
    });

    it('cancels own builds with "build", anyone\'s with "admin"', () => {
      expect(a.canCancelBuildOf('bob')).to.equal(true);
      expect(a.canCancelBuildOf('ci.nightly')).to.equal(false);
      expect(access({}).canCancelBuildOf('bob')).to.equal(false);
      expect(access({ actions: ['admin'] }).canCancelBuildOf('alice')).to.equal(true);
    });
  });

  it('grantPath normalises and refuses what no grant may cover', () => {
    expect(grantPath('./a//b/./c/')).to.equal('a/b/c');
    expect(grantPath('.')).to.equal('');
    expect(grantPath('a/../b')).to.equal(undefined);
    expect(grantPath('/a')).to.equal(undefined);
    expect(grantPath('a\\b')).to.equal(undefined);
    expect(grantPath('a\0')).to.equal(undefined);
  });
});
