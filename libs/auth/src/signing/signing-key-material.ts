import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from '../jwt/jws-algorithm.js';
import type { StoredSigningKey } from '../store/security-state.js';

/** The public members of a signing key's JWK (RFC 7638 required members). */
export interface PublicJwk {
  readonly kty: string;
  readonly crv: string;
  readonly x: string;
  readonly y?: string;
}

/** The public part of a private JWK: never `d`. */
export function publicJwkOf(privateJwk: Readonly<Record<string, string>>): PublicJwk {
  const { kty, crv, x, y } = privateJwk;
  if (kty === undefined || crv === undefined || x === undefined) throw new Error('signing key JWK lacks kty, crv or x');
  return { kty, crv, x, ...(y === undefined ? {} : { y }) };
}

/** RFC 7638 thumbprint (SHA-256, base64url) of a public JWK: the `kid` of the key. */
export function jwkThumbprint(jwk: PublicJwk): string {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/** A new signing key for `alg` (Ed25519 or P-256), created at `createdAt`. */
export function generateSigningKey(alg: JwsAlgorithm, createdAt: string): StoredSigningKey {
  const { privateKey } = alg === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  const privateJwk = Object.fromEntries(Object.entries(jwk).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return { kid: jwkThumbprint(publicJwkOf(privateJwk)), alg, privateJwk, createdAt };
}

/** Key objects of a stored signing key. */
export function signingKeyObjects(stored: StoredSigningKey): { readonly privateKey: KeyObject; readonly publicKey: KeyObject } {
  const privateKey = createPrivateKey({ key: stored.privateJwk as JsonWebKey, format: 'jwk' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
