import { constants, sign } from 'node:crypto';
import type { LoginKey } from './login-key.js';

/**
 * Signs the UTF-8 bytes of a login challenge the way `POST /v1/auth/token` verifies them, as
 * base64: Ed25519 pure (no pre-hash), RSA PKCS#1 v1.5 with SHA-256, ECDSA with SHA-256 whatever
 * the curve (DER-encoded r and s, as `crypto.sign` gives them).
 */
export function signChallenge(key: LoginKey, challenge: string): string {
  const data = Buffer.from(challenge, 'utf8');
  switch (key.type) {
    case 'ed25519':
      return sign(null, data, key.privateKey).toString('base64');
    case 'rsa':
      return sign('sha256', data, { key: key.privateKey, padding: constants.RSA_PKCS1_PADDING }).toString('base64');
    case 'ecdsa':
      return sign('sha256', data, { key: key.privateKey, dsaEncoding: 'der' }).toString('base64');
  }
}
