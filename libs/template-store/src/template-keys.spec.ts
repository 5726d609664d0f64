import { expect } from 'chai';
import { TemplateKeys, templateNameProblem, userNameProblem } from './template-keys.js';

describe('TemplateKeys', () => {
  const keys = new TemplateKeys();

  it('maps user and name to <prefix>/<user>/<name>.yaml', () => {
    expect(keys.key('alice@example.com', 'orders.v2')).to.equal('templates/alice@example.com/orders.v2.yaml');
    expect(new TemplateKeys('hfit/tpl/').key('bob', 'x')).to.equal('hfit/tpl/bob/x.yaml');
    expect(new TemplateKeys('').key('bob', 'x')).to.equal('bob/x.yaml');
  });

  it('reads the name back from a listed key, and nothing from keys that are not templates of the user', () => {
    expect(keys.nameOfKey('bob', 'templates/bob/a.yaml.yaml')).to.equal('a.yaml');
    expect(keys.nameOfKey('bob', 'templates/bob/sub/a.yaml')).to.equal(undefined);
    expect(keys.nameOfKey('bob', 'templates/bob/a.yml')).to.equal(undefined);
    expect(keys.nameOfKey('bob', 'templates/bobby/a.yaml')).to.equal(undefined);
    expect(keys.nameOfKey('bob', 'templates/bob/.yaml')).to.equal(undefined);
  });

  for (const user of ['..', '.', '...', 'a/b', 'a\\b', '', 'x'.repeat(65), 'é']) {
    it(`refuses the user ${JSON.stringify(user)}`, () => {
      expect(userNameProblem(user)).to.be.a('string');
      expect(() => keys.key(user, 'x')).to.throw().with.property('code', 'REQUEST_INVALID');
    });
  }

  for (const name of ['..', '.x', '-x', 'a/b', 'a b', '', 'x'.repeat(129)]) {
    it(`refuses the template name ${JSON.stringify(name)}`, () => {
      expect(templateNameProblem(name)).to.be.a('string');
      expect(() => keys.key('bob', name)).to.throw().with.property('code', 'REQUEST_INVALID');
    });
  }

  it('accepts names up to the limits', () => {
    expect(() => keys.key('u'.repeat(64), `a${'b'.repeat(127)}`)).not.to.throw();
    expect(userNameProblem('a.b_c-d@e')).to.equal(undefined);
  });
});
