import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { HfitError } from '@hfit/contracts';
import type { JwsAlgorithm } from '../jwt/jws-algorithm.js';
import type { StoredSigningKey } from '../store/security-state.js';
import type { SigningKeySealer } from './signing-key-sealer.js';

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

/** A new signing key for `alg` (Ed25519 or P-256), created at `createdAt`; sealed when a sealer is given. */
export function generateSigningKey(alg: JwsAlgorithm, createdAt: string, sealer?: SigningKeySealer): StoredSigningKey {
  const { privateKey } = alg === 'EdDSA' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  const privateJwk = Object.fromEntries(Object.entries(jwk).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const publicJwk = publicJwkOf(privateJwk);
  const kid = jwkThumbprint(publicJwk);
  if (sealer === undefined) return { kid, alg, privateJwk, createdAt };
  return { kid, alg, sealed: sealer.seal(privateJwk, kid), publicJwk: { ...publicJwk }, createdAt };
}

/** The public JWK of a stored key, sealed or not. */
export function storedPublicJwk(stored: StoredSigningKey): PublicJwk {
  const source = stored.publicJwk ?? stored.privateJwk;
  if (source === undefined) throw new Error(`signing key ${stored.kid} has neither a public nor a private JWK`);
  return publicJwkOf(source);
}

/**
 * Key objects of a stored signing key (a sealed one is opened with `sealer`).
 * @throws HfitError CONFIG_INVALID for a sealed key without a sealer, or one the sealer cannot open.
 */
export function signingKeyObjects(stored: StoredSigningKey, sealer?: SigningKeySealer): { readonly privateKey: KeyObject; readonly publicKey: KeyObject } {
  let jwk = stored.privateJwk;
  if (jwk === undefined && stored.sealed !== undefined) {
    if (sealer === undefined) {
      throw new HfitError('CONFIG_INVALID', `JWT signing key ${stored.kid} is sealed: set auth.signingKeySecret to the secret it was sealed with`, { field: 'auth.signingKeySecret' });
    }
    jwk = sealer.open(stored.sealed, stored.kid);
  }
  if (jwk === undefined) throw new Error(`signing key ${stored.kid} has no private JWK`);
  const privateKey = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}
