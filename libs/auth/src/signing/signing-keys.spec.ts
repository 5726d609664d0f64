import { randomBytes } from 'node:crypto';
import { isHfitError } from '@hfit/contracts';
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

  /** The stored signing-key document, as text. */
  async function storedKeysText(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of (await fx.objects.get('security/signing-keys.json')).body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  it('with auth.signingKeySecret, stores keys sealed (no private part in storage) and signs and verifies across replicas', async () => {
    const secret = randomBytes(32).toString('base64');
    fx = await createSecurityFixture({ auth: { signingKeySecret: secret } });
    const first = await fx.security.signingKeys.ensure();
    const text = await storedKeysText();
    const { privateKey } = await fx.security.signingKeys.signer();
    const d = privateKey.export({ format: 'jwk' }).d!;
    expect(text).to.not.contain(d);
    expect(text).to.not.contain('"privateJwk"');
    expect(text).to.contain('"sealed"');
    // Another replica (same secret) opens it: its tokens verify here, and the other way round.
    const other = fx.replica();
    const issued = await other.tokens.issue('someone');
    expect(await fx.security.tokens.verify(issued.token)).to.deep.include({ user: 'someone' });
    expect((await fx.security.signingKeys.jwks()).keys.map((k) => k.kid)).to.deep.equal([first.kid]);
    expect(JSON.stringify(await fx.security.signingKeys.jwks())).to.not.contain(d);
    // A rotation seals the new key too.
    await fx.security.signingKeys.rotate();
    expect(await storedKeysText()).to.not.contain('"privateJwk"');
  });

  it('fails the start with CONFIG_INVALID naming auth.signingKeySecret when the secret is wrong or missing', async () => {
    fx = await createSecurityFixture({ auth: { signingKeySecret: randomBytes(32).toString('base64') } });
    await fx.security.signingKeys.ensure();
    const withSecret = (signingKeySecret: string | undefined) =>
      createSecurity({
        config: { ...fx.config, auth: { ...fx.config.auth, ...(signingKeySecret === undefined ? { signingKeySecret: undefined } : { signingKeySecret }) } },
        redis: fx.redis,
        objects: fx.objects,
        logger: fx.logger,
      });
    for (const secret of [randomBytes(32).toString('base64'), undefined]) {
      const err = await withSecret(secret).signingKeys.ensure().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isHfitError(err, 'CONFIG_INVALID'), String(err)).to.equal(true);
      expect((err as Error).message).to.contain('auth.signingKeySecret');
    }
  });

  it('keeps using a key stored in clear before a secret was set, until it is rotated', async () => {
    fx = await createSecurityFixture();
    const clear = await fx.security.signingKeys.ensure();
    const sealed = createSecurity({ config: { ...fx.config, auth: { ...fx.config.auth, signingKeySecret: randomBytes(32).toString('base64') } }, redis: fx.redis, objects: fx.objects, logger: fx.logger });
    expect((await sealed.signingKeys.ensure()).kid).to.equal(clear.kid);
    const token = await sealed.tokens.issue('someone');
    expect(await fx.security.tokens.verify(token.token)).to.deep.include({ user: 'someone' });
    await sealed.signingKeys.rotate();
    const { items } = JSON.parse(await storedKeysText()) as { items: { kid: string; sealed?: unknown }[] };
    expect(items.map((k) => [k.kid === clear.kid, k.sealed !== undefined])).to.deep.equal([
      [false, true],
      [true, false],
    ]);
  });
});
