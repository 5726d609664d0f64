import { constants, verify } from 'node:crypto';
import type { LoginKey } from './login-key.js';
import { SSH_CURVES } from './ssh-key-blob.js';

/** Size of an EC coordinate by curve size in bits (an IEEE P1363 signature is two of them). */
const COORDINATE_BYTES: Readonly<Record<number, number>> = Object.fromEntries(Object.values(SSH_CURVES).map((c) => [c.bits, c.bytes]));

/**
 * Decodes a signature sent as base64 or base64url (padding optional). `undefined` for anything
 * else, so a malformed signature is simply one that does not verify.
 */
export function decodeSignature(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === 0 ? undefined : bytes;
}

function verifyDer(key: LoginKey, data: Buffer, signature: Buffer): boolean {
  try {
    return verify('sha256', data, { key: key.key, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}

/**
 * Whether `signature` is `key`'s signature of `data`: RSA PKCS#1 v1.5 with SHA-256, ECDSA with
 * SHA-256 whatever the curve (DER, or IEEE P1363 `r||s`), Ed25519 (pure). Never throws: a
 * malformed signature, of the wrong length or encoding, is `false`.
 */
export function verifyKeySignature(key: LoginKey, data: Buffer, signature: Buffer): boolean {
  try {
    switch (key.type) {
      case 'ed25519':
        return signature.length === 64 && verify(null, data, key.key, signature);
      case 'rsa':
        return signature.length === Math.ceil(key.bits / 8) && verify('sha256', data, { key: key.key, padding: constants.RSA_PKCS1_PADDING }, signature);
      case 'ecdsa': {
        // A DER signature can have the length of a P1363 one (rarely): then both are tried.
        const p1363 = signature.length === 2 * (COORDINATE_BYTES[key.bits] ?? 0) && verify('sha256', data, { key: key.key, dsaEncoding: 'ieee-p1363' }, signature);
        return p1363 || (signature[0] === 0x30 && verifyDer(key, data, signature));
      }
    }
  } catch {
    return false;
  }
}
