import { expect } from 'chai';
import { createSecurity } from '../create-security.js';
import { createSecurityFixture, type SecurityFixture } from '../testing/security-fixture.js';

describe('SigningKeys', () => {
  let fx: SecurityFixture;
  afterEach(async () => {
    await fx?.dispose();
  });

  it('keeps every replaced key through its grace period, then drops it from verification, the JWKS and the store', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    fx = await createSecurityFixture({ auth: { signingKeyGraceSeconds: 60 } });
    const security = createSecurity({ config: fx.config, redis: fx.redis, objects: fx.objects, logger: fx.logger, now: () => now });
    const first = await security.signingKeys.ensure();
    now += 10_000;
    const second = (await security.signingKeys.rotate())[0]!;
    now += 10_000;
    const third = await security.signingKeys.rotate();
    expect(third.map((k) => [k.status, k.validUntil])).to.deep.equal([
      ['current', undefined],
      ['grace', '2030-01-01T00:01:20.000Z'],
      ['grace', '2030-01-01T00:01:10.000Z'],
    ]);
    expect((await security.signingKeys.jwks()).keys.map((k) => k.kid)).to.deep.equal([third[0]!.kid, second.kid, first.kid]);
    expect(await security.signingKeys.verifier(first.kid)).to.not.equal(undefined);
    now = Date.parse('2030-01-01T00:01:10.000Z');
    expect(await security.signingKeys.verifier(first.kid), 'grace over').to.equal(undefined);
    expect((await security.signingKeys.list()).map((k) => k.kid)).to.deep.equal([third[0]!.kid, second.kid]);
    await security.signingKeys.rotate();
    expect((await security.store.read()).signingKeys.map((k) => k.kid), 'pruned at the next change').to.not.include(first.kid);
  });

  it('with a grace of 0, the replaced key stops verifying at once', async () => {
    fx = await createSecurityFixture({ auth: { signingKeyGraceSeconds: 0 } });
    const old = await fx.security.signingKeys.ensure();
    const now = await fx.security.signingKeys.rotate();
    expect(now.map((k) => k.status)).to.deep.equal(['current']);
    expect(await fx.security.signingKeys.verifier(old.kid)).to.equal(undefined);
  });
});
