import type { KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { JwsAlgorithm } from './jws-algorithm.js';

/** A private key that signs JWTs, named by `kid`. */
export interface JwtSigner {
  readonly kid: string;
  readonly alg: JwsAlgorithm;
  readonly privateKey: KeyObject;
}

/** A compact JWS (signed by `jose`) of exactly `claims`, with header `{alg, kid, typ: 'JWT'}`. */
export function signJwt(claims: Readonly<Record<string, unknown>>, signer: JwtSigner): Promise<string> {
  return new SignJWT({ ...claims } as JWTPayload).setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JWT' }).sign(signer.privateKey);
}
