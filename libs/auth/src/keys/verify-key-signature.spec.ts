import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { generateLoginKeyPair, LOGIN_KEY_KINDS } from '../testing/login-key-pair.js';
import { parsePublicKey } from './parse-public-key.js';
import { decodeSignature, verifyKeySignature } from './verify-key-signature.js';

describe('verifyKeySignature', () => {
  const challenge = 'hfit-login-v1:hfit-api:alice:abc';
  const data = Buffer.from(challenge, 'utf8');

  for (const kind of LOGIN_KEY_KINDS) {
    it(`${kind}: accepts the key's signature, refuses other data, another key's and malformed signatures without throwing`, () => {
      const pair = generateLoginKeyPair(kind);
      const key = parsePublicKey(pair.authorizedKey);
      const signature = decodeSignature(pair.sign(challenge))!;
      expect(verifyKeySignature(key, data, signature)).to.equal(true);
      if (kind.startsWith('ecdsa')) expect(verifyKeySignature(key, data, decodeSignature(pair.sign(challenge, { p1363: true }))!), 'P1363').to.equal(true);
      expect(verifyKeySignature(key, Buffer.from(`${challenge}x`), signature)).to.equal(false);
      expect(verifyKeySignature(key, data, decodeSignature(generateLoginKeyPair(kind).sign(challenge))!)).to.equal(false);
      const flipped = Buffer.from(signature);
      flipped[flipped.length - 1]! ^= 1;
      expect(verifyKeySignature(key, data, flipped)).to.equal(false);
      for (const junk of [Buffer.alloc(0), Buffer.from([0x30]), Buffer.from([0x30, 0x81]), randomBytes(signature.length), randomBytes(10_000)]) {
        expect(verifyKeySignature(key, data, junk)).to.equal(false);
      }
    });
  }

  it('decodes base64 and base64url, with or without padding, and nothing else', () => {
    const bytes = Buffer.from([0xfb, 0xff, 0xfe, 0x01]);
    expect(decodeSignature(bytes.toString('base64'))).to.deep.equal(bytes);
    expect(decodeSignature(bytes.toString('base64url'))).to.deep.equal(bytes);
    for (const bad of ['', '***', 'ab cd', 'abc===', 'a.b']) expect(decodeSignature(bad), bad).to.equal(undefined);
  });
});
