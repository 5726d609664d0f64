import { createHash, type KeyObject } from 'node:crypto';
import { keyInvalid } from './key-invalid.js';
import type { LoginKeyType } from './login-key.js';
import { sshMpint, sshString } from './ssh-wire.js';

/** Smallest RSA modulus accepted (NIST SP 800-131A; OpenSSH refuses less than 1024 already). */
export const RSA_MIN_BITS = 2048;
/** Largest RSA modulus accepted: OpenSSH's own limit (`SSHBUF_MAX_BIGNUM`), and a bound on verify time. */
export const RSA_MAX_BITS = 16384;

/** EC curves accepted, by JWK `crv`: the SSH curve name and the size of a coordinate. */
export const SSH_CURVES = {
  'P-256': { ssh: 'nistp256', bits: 256, bytes: 32 },
  'P-384': { ssh: 'nistp384', bits: 384, bytes: 48 },
  'P-521': { ssh: 'nistp521', bits: 521, bytes: 66 },
} as const;
export type SshCurve = keyof typeof SSH_CURVES;

/** A public key in SSH terms: its type, size and wire blob (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4). */
export interface SshKeyBlob {
  readonly type: LoginKeyType;
  readonly bits: number;
  readonly sshType: string;
  readonly blob: Buffer;
}

function bytesOf(jwkField: unknown): Buffer {
  if (typeof jwkField !== 'string') throw new Error('public JWK lacks a field');
  return Buffer.from(jwkField, 'base64url');
}

/**
 * The canonical SSH blob of `key` (what `ssh-keygen` hashes for a fingerprint), built from its
 * JWK. Refuses, with `KEY_INVALID`, what login does not accept: DSA, RSA-PSS, RSA under
 * {@link RSA_MIN_BITS} or over {@link RSA_MAX_BITS}, curves other than P-256/384/521, Ed448, X25519.
 */
export function sshKeyBlobOf(key: KeyObject): SshKeyBlob {
  if (key.type !== 'public') throw keyInvalid('this is not a public key');
  const kind = key.asymmetricKeyType;
  switch (kind) {
    case 'ed25519': {
      const x = bytesOf(key.export({ format: 'jwk' }).x);
      return { type: 'ed25519', bits: 256, sshType: 'ssh-ed25519', blob: Buffer.concat([sshString('ssh-ed25519'), sshString(x)]) };
    }
    case 'rsa': {
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits < RSA_MIN_BITS) throw keyInvalid(`an RSA key of ${bits} bits is too weak (at least ${RSA_MIN_BITS} bits)`);
      if (bits > RSA_MAX_BITS) throw keyInvalid(`an RSA key of ${bits} bits is larger than the ${RSA_MAX_BITS} bits accepted`);
      const jwk = key.export({ format: 'jwk' });
      return { type: 'rsa', bits, sshType: 'ssh-rsa', blob: Buffer.concat([sshString('ssh-rsa'), sshMpint(bytesOf(jwk.e)), sshMpint(bytesOf(jwk.n))]) };
    }
    case 'ec': {
      const jwk = key.export({ format: 'jwk' });
      const curve = typeof jwk.crv === 'string' && Object.hasOwn(SSH_CURVES, jwk.crv) ? SSH_CURVES[jwk.crv as SshCurve] : undefined;
      if (curve === undefined) throw keyInvalid(`EC curve ${key.asymmetricKeyDetails?.namedCurve ?? 'unknown'} is not accepted (P-256, P-384 or P-521)`);
      const point = Buffer.concat([Buffer.from([4]), bytesOf(jwk.x), bytesOf(jwk.y)]);
      const sshType = `ecdsa-sha2-${curve.ssh}`;
      return { type: 'ecdsa', bits: curve.bits, sshType, blob: Buffer.concat([sshString(sshType), sshString(curve.ssh), sshString(point)]) };
    }
    case 'dsa':
      throw keyInvalid('DSA keys are not accepted (OpenSSH disabled them in 2015)');
    case 'rsa-pss':
      throw keyInvalid('RSA-PSS keys are not accepted (use a plain RSA key)');
    default:
      throw keyInvalid(`keys of type ${kind ?? 'unknown'} are not accepted`);
  }
}

/** `SHA256:<base64 without padding>` of an SSH key blob: the `ssh-keygen -lf` fingerprint. */
export function sshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}
