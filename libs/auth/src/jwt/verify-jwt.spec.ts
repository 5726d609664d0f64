import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { sign } from 'node:crypto';
import { signJwt, type JwtSigner } from './sign-jwt.js';
import { verifyJwt, type JwtExpectations } from './verify-jwt.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('verifyJwt', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const signer: JwtSigner = { kid: 'k1', alg: 'EdDSA', privateKey };
  const now = Date.now();
  const t = Math.floor(now / 1000);
  const expectations: JwtExpectations = {
    issuer: 'hfit',
    audience: 'hfit-api',
    now,
    toleranceSeconds: 5,
    keyFor: async (kid) => (kid === 'k1' ? { alg: 'EdDSA', publicKey: createPublicKey(privateKey) } : undefined),
  };
  const claims = (o: Record<string, unknown> = {}) => ({ iss: 'hfit', aud: 'hfit-api', sub: 'ann', iat: t, exp: t + 60, jti: randomUUID(), ...o });
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  /** A correctly signed token with any header. */
  const signedWith = (header: Record<string, unknown>, body: Record<string, unknown> = claims()) => {
    const input = `${b64({ alg: 'EdDSA', kid: 'k1', typ: 'JWT', ...header })}.${b64(body)}`;
    return `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
  };

  it('answers the claims of a valid token (aud as a string or a list holding ours)', async () => {
    expect(await verifyJwt(await signJwt(claims(), signer), expectations)).to.include({ sub: 'ann', iss: 'hfit', aud: 'hfit-api' });
    expect(await verifyJwt(await signJwt(claims({ aud: ['other', 'hfit-api'] }), signer), expectations)).to.include({ sub: 'ann' });
    expect(await verifyJwt(signedWith({ typ: undefined }), expectations), 'typ may be left out').to.include({ sub: 'ann' });
  });

  it('allows the clock tolerance and no more', async () => {
    expect(await verifyJwt(await signJwt(claims({ exp: t - 3, iat: t - 60 }), signer), expectations), 'expired 3 s ago').to.not.equal(undefined);
    expect(await verifyJwt(await signJwt(claims({ exp: t - 6, iat: t - 60 }), signer), expectations), 'expired 6 s ago').to.equal(undefined);
    expect(await verifyJwt(await signJwt(claims({ iat: t + 3 }), signer), expectations), 'iat 3 s ahead').to.not.equal(undefined);
    expect(await verifyJwt(await signJwt(claims({ iat: t + 10 }), signer), expectations), 'iat 10 s ahead').to.equal(undefined);
    const late = { ...expectations, toleranceSeconds: 3600, now: now + 600_000 };
    expect(await verifyJwt(await signJwt(claims(), signer), late), 'tolerance capped at 30 s').to.equal(undefined);
  });

  it('refuses (correctly signed) tokens with a crit header, another typ, no kid, nbf in the future, exp not after iat, or odd claim types', async () => {
    const refused: Record<string, string> = {
      crit: signedWith({ crit: ['exp'] }),
      typ: signedWith({ typ: 'at+jwt' }),
      noKid: signedWith({ kid: undefined }),
      nbf: await signJwt(claims({ nbf: t + 60 }), signer),
      expNotAfterIat: await signJwt(claims({ exp: t, iat: t }), signer),
      subNumber: await signJwt(claims({ sub: 42 }), signer),
      jtiEmpty: await signJwt(claims({ jti: '' }), signer),
      expText: await signJwt(claims({ exp: String(t + 60) }), signer),
      payloadArray: signedWith({}, [1, 2] as unknown as Record<string, unknown>),
    };
    for (const [name, token] of Object.entries(refused)) expect(await verifyJwt(token, expectations), name).to.equal(undefined);
  });

  it('refuses extra segments, oversized tokens and non-canonical base64url', async () => {
    const token = await signJwt(claims(), signer);
    const [h, p, s] = token.split('.') as [string, string, string];
    expect(await verifyJwt(`${token}.x`, expectations)).to.equal(undefined);
    expect(await verifyJwt(await signJwt(claims({ pad: 'x'.repeat(5000) }), signer), expectations)).to.equal(undefined);
    // A 64-byte signature leaves 4 unused bits in its last character: flipping one decodes to the
    // same bytes, so only the canonical-encoding check refuses it.
    const last = ALPHABET.indexOf(s.at(-1)!);
    const twin = `${s.slice(0, -1)}${ALPHABET[last ^ 1]}`;
    expect(Buffer.from(twin, 'base64url')).to.deep.equal(Buffer.from(s, 'base64url'));
    for (const bad of [`${h}.${p}.${twin}`, `${h}.${p}.${s}==`, `${h}=.${p}.${s}`, `${h}.${p}.${s.replace(/[-_]/g, '+')}`]) {
      if (bad === token) continue;
      expect(await verifyJwt(bad, expectations), bad.slice(-10)).to.equal(undefined);
    }
    expect(await verifyJwt(token, expectations)).to.not.equal(undefined);
  });
});
