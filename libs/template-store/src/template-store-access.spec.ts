import { randomUUID } from 'node:crypto';
import { Access, policyOf } from '@hfit/access';
import { GrantSchema, type GrantInput } from '@hfit/contracts';
import { expect } from 'chai';
import { TemplateStore } from './template-store.js';
import { rejectedHfitError } from './testing/rejected-hfit-error.js';
import { fsTarget, type StoreTarget } from './testing/store-targets.js';
import { templateText } from './testing/template-text.js';

describe('TemplateStore: reading other users\' templates', () => {
  let target: StoreTarget;
  let templates: TemplateStore;
  let owner: string;
  const reader = (user: string, grant: GrantInput = {}) => new Access(policyOf(user, [], [GrantSchema.parse(grant)], {}));

  beforeEach(async () => {
    target = await fsTarget.create();
    templates = new TemplateStore({ store: target.store });
    owner = `u-${randomUUID()}`;
    await templates.create(owner, templateText('shared'));
  });
  afterEach(async () => {
    await target.dispose();
  });

  it('reads one\'s own, and others\' with a templates grant naming them', async () => {
    expect((await templates.listAs(reader(owner))).map((t) => t.name)).to.deep.equal(['shared']);
    expect((await templates.getAs(reader(owner), 'shared')).text).to.equal(templateText('shared'));
    const friend = reader('friend', { templates: ['u-*'] });
    expect((await templates.listAs(friend, owner)).map((t) => t.name)).to.deep.equal(['shared']);
    expect((await templates.getAs(friend, 'shared', owner)).text).to.equal(templateText('shared'));
    expect(await templates.listAs(friend)).to.deep.equal([]);
  });

  it('answers TEMPLATE_NOT_FOUND otherwise, exactly as for a template that does not exist', async () => {
    const stranger = reader('stranger', { actions: ['admin', 'build'], builds: ['**'] });
    const hidden = await rejectedHfitError(templates.getAs(stranger, 'shared', owner), 'TEMPLATE_NOT_FOUND');
    const missing = await rejectedHfitError(templates.getAs(reader('friend', { templates: ['**'] }), 'nothing', owner), 'TEMPLATE_NOT_FOUND');
    expect(hidden.code).to.equal('TEMPLATE_NOT_FOUND');
    expect(hidden.message).to.equal(missing.message.replace('"nothing"', '"shared"'));
    expect((await rejectedHfitError(templates.listAs(stranger, owner), 'TEMPLATE_NOT_FOUND')).message).to.contain(owner);
  });
});
