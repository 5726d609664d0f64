import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { HfitError } from '@hfit/contracts';

/** A private JWK encrypted with AES-256-GCM under a key derived from `auth.signingKeySecret`. */
export interface SealedJwk {
  readonly v: 1;
  /** scrypt salt, IV, GCM tag and ciphertext, base64url. */
  readonly salt: string;
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

/** scrypt cost: ~50 ms once per key and process (the derived key is cached per salt). */
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

/**
 * Encrypts signing keys at rest: each private JWK is sealed with AES-256-GCM under a key derived
 * (scrypt, random salt per key) from the configured secret, bound to its `kid` as additional data,
 * so whoever reads the object store cannot mint tokens without the secret, and a sealed key cannot
 * be passed off as another.
 */
export class SigningKeySealer {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly secret: string) {}

  seal(jwk: Readonly<Record<string, string>>, kid: string): SealedJwk {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyFor(salt), iv).setAAD(Buffer.from(kid, 'utf8'));
    const data = Buffer.concat([cipher.update(JSON.stringify(jwk), 'utf8'), cipher.final()]);
    return { v: 1, salt: salt.toString('base64url'), iv: iv.toString('base64url'), tag: cipher.getAuthTag().toString('base64url'), data: data.toString('base64url') };
  }

  /** @throws HfitError CONFIG_INVALID when the secret does not open the key (changed secret, altered document). */
  open(sealed: SealedJwk, kid: string): Record<string, string> {
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.keyFor(Buffer.from(sealed.salt, 'base64url')), Buffer.from(sealed.iv, 'base64url'));
      decipher.setAAD(Buffer.from(kid, 'utf8')).setAuthTag(Buffer.from(sealed.tag, 'base64url'));
      const text = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64url')), decipher.final()]).toString('utf8');
      return JSON.parse(text) as Record<string, string>;
    } catch {
      throw new HfitError(
        'CONFIG_INVALID',
        `auth.signingKeySecret does not open JWT signing key ${kid}: restore the secret it was sealed with (or, if it is lost, rotate the key with an admin token and let old logins expire)`,
        { field: 'auth.signingKeySecret' },
      );
    }
  }

  private keyFor(salt: Buffer): Buffer {
    const id = salt.toString('base64url');
    let key = this.keys.get(id);
    if (key === undefined) {
      key = scryptSync(this.secret, salt, 32, SCRYPT);
      this.keys.set(id, key);
    }
    return key;
  }
}
