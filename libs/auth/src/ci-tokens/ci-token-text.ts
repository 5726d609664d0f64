import { createHash, randomBytes } from 'node:crypto';

/** Every CI token starts with this (secret scanners can match `hfit_ci_[0-9a-f]{12}_`). */
export const CI_TOKEN_PREFIX = 'hfit_ci_';

const SHAPE = /^hfit_ci_([0-9a-f]{12})_[A-Za-z0-9_-]{43}$/;

/** A new CI token: `hfit_ci_<id>_<secret>`, id 12 hex characters (6 random bytes), secret 32 random bytes base64url. */
export function newCiToken(): { readonly id: string; readonly token: string } {
  const id = randomBytes(6).toString('hex');
  return { id, token: `${CI_TOKEN_PREFIX}${id}_${randomBytes(32).toString('base64url')}` };
}

/** The id of a well-formed CI token, or `undefined` when `token` does not have the shape of one. */
export function ciTokenIdOf(token: string): string | undefined {
  return SHAPE.exec(token)?.[1];
}

/** sha256 of the whole token text: what is stored and compared, never the token itself. */
export function ciTokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
