import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { registerTestSecret } from '@hfit/contracts/testing';
import { loginKeyOf } from '../keys/login-key-of.js';

/** Key kinds a test can log in with. */
export const LOGIN_KEY_KINDS = ['rsa-2048', 'rsa-3072', 'ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521', 'ed25519'] as const;
export type LoginKeyKind = (typeof LOGIN_KEY_KINDS)[number];

/** A key pair for login tests, with its public key in both accepted text forms. */
export interface LoginKeyPair {
  readonly kind: LoginKeyKind;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** `authorized_keys` line with a comment. */
  readonly authorizedKey: string;
  /** PEM SubjectPublicKeyInfo. */
  readonly pem: string;
  readonly fingerprint: string;
  /**
   * base64 signature of the challenge's UTF-8 bytes, the way a client signs it (ECDSA as DER, or as
   * IEEE P1363 `r||s` with `p1363`).
   */
  sign(challenge: string, options?: { readonly p1363?: boolean }): string;
}

function generate(kind: LoginKeyKind): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (kind) {
    case 'rsa-2048':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
    case 'rsa-3072':
      return generateKeyPairSync('rsa', { modulusLength: 3072 });
    case 'ecdsa-p256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'ecdsa-p384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' });
    case 'ecdsa-p521':
      return generateKeyPairSync('ec', { namedCurve: 'P-521' });
    case 'ed25519':
      return generateKeyPairSync('ed25519');
  }
}

/** A new key pair of `kind` (the `authorized_keys` comment is `<comment>`, default `test@<kind>`). */
export function generateLoginKeyPair(kind: LoginKeyKind, comment = `test@${kind}`): LoginKeyPair {
  const { privateKey, publicKey } = generate(kind);
  const parsed = loginKeyOf(publicKey, comment);
  // The log scan of `npm test` fails if a private key ever shows up in a log line.
  registerTestSecret(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  return {
    kind,
    privateKey,
    publicKey,
    authorizedKey: parsed.line,
    pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: parsed.fingerprint,
    sign(challenge, options = {}) {
      const data = Buffer.from(challenge, 'utf8');
      if (kind === 'ed25519') return sign(null, data, privateKey).toString('base64');
      if (kind.startsWith('rsa')) return sign('sha256', data, { key: privateKey, padding: constants.RSA_PKCS1_PADDING }).toString('base64');
      return sign('sha256', data, { key: privateKey, dsaEncoding: options.p1363 === true ? 'ieee-p1363' : 'der' }).toString('base64');
    },
  };
}
