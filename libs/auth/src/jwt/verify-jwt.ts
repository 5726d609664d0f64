import type { KeyObject } from 'node:crypto';
import { jwtVerify, type JWTHeaderParameters } from 'jose';
import { JWS_ALGORITHMS, type JwsAlgorithm } from './jws-algorithm.js';
import type { JwtClaims } from './jwt-claims.js';

/** Longest token looked at (ours are ~400 bytes); anything longer is refused before parsing. */
const MAX_TOKEN_LENGTH = 4096;
/** Longest clock tolerance allowed. */
export const MAX_CLOCK_TOLERANCE_SECONDS = 30;

/** A public key that verifies JWTs, with the one algorithm it is used with. */
export interface JwtVerifier {
  readonly alg: JwsAlgorithm;
  readonly publicKey: KeyObject;
}

/** What {@link verifyJwt} checks a token against. */
export interface JwtExpectations {
  readonly issuer: string;
  readonly audience: string;
  /** The key a `kid` names (current or in its grace period), or `undefined`. */
  keyFor(kid: string): Promise<JwtVerifier | undefined>;
  /** Now, ms since the epoch. */
  readonly now: number;
  /** Clock skew allowed on `exp`, `iat` and `nbf` (at most {@link MAX_CLOCK_TOLERANCE_SECONDS}). */
  readonly toleranceSeconds: number;
}

/** Three canonical base64url segments (a re-encoding of the same bytes must give the same text). */
function canonicalSegments(token: string): boolean {
  const parts = token.split('.');
  return parts.length === 3 && parts.every((s) => /^[A-Za-z0-9_-]+$/.test(s) && Buffer.from(s, 'base64url').toString('base64url') === s);
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 256;

/** Thrown inside the key lookup to stop `jose` without saying why (every refusal looks the same). */
class KeyRefused extends Error {}

/**
 * Verifies a compact JWS login token with `jose` and returns its claims, or `undefined` for any
 * token that is not acceptable; it never throws for a bad token. The key is looked up by the
 * header's `kid`, and the header's `alg` must equal that key's algorithm (so `none`, `HS256` keyed
 * with a public key, or an algorithm swap are refused before any signature check). `jose` checks
 * the signature, `iss`, `aud`, `exp`, `nbf`, `iat` (not in the future), `crit` and the required
 * claims; on top: `typ` is absent or `JWT`, `sub` and `jti` are short non-empty strings, `exp` is
 * after `iat`, and the encoding is canonical (no signature twins).
 */
export async function verifyJwt(token: string, expect: JwtExpectations): Promise<JwtClaims | undefined> {
  if (token.length > MAX_TOKEN_LENGTH || !canonicalSegments(token)) return undefined;
  const tolerance = Math.min(Math.max(expect.toleranceSeconds, 0), MAX_CLOCK_TOLERANCE_SECONDS);
  const keyFor = async (header: JWTHeaderParameters): Promise<KeyObject> => {
    if (typeof header.kid !== 'string' || (header.typ !== undefined && header.typ !== 'JWT')) throw new KeyRefused();
    const key = await expect.keyFor(header.kid);
    if (key === undefined || header.alg !== key.alg) throw new KeyRefused();
    return key.publicKey;
  };
  try {
    const { payload } = await jwtVerify(token, keyFor, {
      algorithms: [...JWS_ALGORITHMS],
      issuer: expect.issuer,
      audience: expect.audience,
      requiredClaims: ['iss', 'aud', 'sub', 'iat', 'exp', 'jti'],
      clockTolerance: tolerance,
      currentDate: new Date(expect.now),
    });
    const { iss, sub, iat, exp, jti, gen } = payload;
    if (!isText(sub) || !isText(jti) || typeof iat !== 'number' || typeof exp !== 'number' || exp <= iat) return undefined;
    if (iat > expect.now / 1000 + tolerance) return undefined;
    return { iss: iss!, aud: expect.audience, sub, iat, exp, jti, ...(isText(gen) ? { gen } : {}) };
  } catch {
    return undefined;
  }
}
