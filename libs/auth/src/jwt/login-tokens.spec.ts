import { expect } from 'chai';
import { signJwt } from './sign-jwt.js';
import { signingKeyObjects } from '../signing/signing-key-material.js';
import { createSecurityFixture, type SecurityFixture } from '../testing/security-fixture.js';

describe('LoginTokens across a Redis loss (the token generation)', () => {
  let fx: SecurityFixture;
  afterEach(async () => {
    await fx?.dispose();
  });

  it('refuses every login token issued before Redis lost its keys, a logged-out one included; new ones work', async () => {
    fx = await createSecurityFixture();
    const { tokens } = fx.security;
    const kept = await tokens.issue('kim');
    const loggedOut = await tokens.issue('kim');
    expect(await tokens.verify(kept.token)).to.deep.include({ user: 'kim' });
    expect(await tokens.revoke(loggedOut.token)).to.deep.include({ user: 'kim' });
    expect(await tokens.verify(loggedOut.token)).to.equal(undefined);

    // The deny-list is gone with the keys: without the generation, the logged-out token would verify again.
    expect(await fx.flushRedis()).to.be.greaterThan(0);
    expect(await tokens.verify(loggedOut.token)).to.equal(undefined);
    expect(await tokens.verify(kept.token)).to.equal(undefined);
    // On every replica, whichever asks first after the loss.
    expect(await fx.replica().tokens.verify(kept.token)).to.equal(undefined);

    const fresh = await tokens.issue('kim');
    expect(await tokens.verify(fresh.token)).to.deep.include({ user: 'kim' });
    expect(await fx.replica().tokens.verify(fresh.token)).to.deep.include({ user: 'kim' });
  });

  it('refuses a correctly signed token without the generation claim, or with another one', async () => {
    fx = await createSecurityFixture();
    const { tokens } = fx.security;
    const issued = await tokens.issue('lee');
    const claims = (await tokens.verify(issued.token))!.claims;
    expect(claims.gen).to.be.a('string').with.length.above(10);
    const stored = (await fx.security.store.read()).signingKeys[0]!;
    const signer = { kid: stored.kid, alg: stored.alg, privateKey: signingKeyObjects(stored).privateKey };
    const { gen, ...without } = claims;
    expect(await tokens.verify(await signJwt({ ...without, jti: 'a' }, signer))).to.equal(undefined);
    expect(await tokens.verify(await signJwt({ ...without, jti: 'b', gen: `${gen}x` }, signer))).to.equal(undefined);
    // The same claims with the generation verify (the refusals above are for the generation alone).
    expect(await tokens.verify(await signJwt({ ...without, jti: 'c', gen }, signer))).to.deep.include({ user: 'lee' });
  });
});
