import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { keyInvalid } from './key-invalid.js';
import type { LoginKey } from './login-key.js';
import { loginKeyOf } from './login-key-of.js';
import { SSH_CURVES, type SshCurve } from './ssh-key-blob.js';
import { mpintMagnitude, SshWireReader } from './ssh-wire.js';

/** SSH key types accepted, with the JWK curve of the ECDSA ones. */
const ECDSA_TYPES: Readonly<Record<string, SshCurve>> = {
  'ecdsa-sha2-nistp256': 'P-256',
  'ecdsa-sha2-nistp384': 'P-384',
  'ecdsa-sha2-nistp521': 'P-521',
};
const ACCEPTED_TYPES = new Set(['ssh-ed25519', 'ssh-rsa', ...Object.keys(ECDSA_TYPES)]);

/** Why a known but refused key type is refused. */
function refusedType(type: string): string | undefined {
  if (type.endsWith('-cert-v01@openssh.com')) return `"${type}" is an OpenSSH certificate, which is not accepted: send the plain public key it certifies`;
  if (type.startsWith('sk-')) return `"${type}" is a security-key (FIDO) key, which is not accepted: its signatures need the authenticator's flags and counter`;
  if (type === 'ssh-dss') return 'DSA keys (ssh-dss) are not accepted (OpenSSH disabled them in 2015)';
  return undefined;
}

/** Printable form of a type name read from untrusted bytes. */
function printable(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  return /^[\x21-\x7e]{1,64}$/.test(text) ? `"${text}"` : 'an unreadable type';
}

/** The JWK of the key in `blob` (whose type string was already read), or a `KEY_INVALID`. */
function jwkOf(type: string, reader: SshWireReader): JsonWebKey {
  const b64u = (b: Buffer) => b.toString('base64url');
  if (type === 'ssh-ed25519') {
    const x = reader.string();
    if (x === undefined || x.length !== 32) throw keyInvalid('the ssh-ed25519 key data is malformed (the key must be 32 bytes)');
    return { kty: 'OKP', crv: 'Ed25519', x: b64u(x) };
  }
  if (type === 'ssh-rsa') {
    const e = reader.string();
    const n = reader.string();
    const eValue = e === undefined ? undefined : mpintMagnitude(e);
    const nValue = n === undefined ? undefined : mpintMagnitude(n);
    if (eValue === undefined || nValue === undefined || eValue.length === 0 || nValue.length === 0) throw keyInvalid('the ssh-rsa key data is malformed');
    return { kty: 'RSA', e: b64u(eValue), n: b64u(nValue) };
  }
  const crv = ECDSA_TYPES[type]!;
  const curve = SSH_CURVES[crv];
  const name = reader.string();
  const point = reader.string();
  if (name === undefined || name.toString('latin1') !== curve.ssh) throw keyInvalid(`the ${type} key data names another curve than ${curve.ssh}`);
  if (point === undefined || point.length !== 1 + 2 * curve.bytes || point[0] !== 4) throw keyInvalid(`the ${type} key data is malformed (an uncompressed ${curve.ssh} point is expected)`);
  return { kty: 'EC', crv, x: b64u(point.subarray(1, 1 + curve.bytes)), y: b64u(point.subarray(1 + curve.bytes)) };
}

/**
 * Parses one OpenSSH `authorized_keys` line, `<type> <base64 blob> [comment]` (what
 * `~/.ssh/id_*.pub` holds), into a checked {@link LoginKey}. Refuses, with `KEY_INVALID` naming the
 * problem: several lines, key options (`from=`, `command=`), DSA, security keys (`sk-*`),
 * certificates, RSA under 2048 bits, unknown types, bad base64, a blob whose type differs from the
 * line's, a malformed, non-canonical or trailing-byte blob, and EC points off their curve.
 */
export function parseAuthorizedKey(text: string): LoginKey {
  const line = text.trim();
  if (/[\r\n]/.test(line)) throw keyInvalid('the text holds several lines: send one key');
  const match = /^(\S+)(?:[ \t]+(\S+))?(?:[ \t]+(.*))?$/.exec(line);
  const type = match?.[1] ?? '';
  const refused = refusedType(type);
  if (refused !== undefined) throw keyInvalid(refused);
  if (!ACCEPTED_TYPES.has(type)) {
    if (/[=",]/.test(type)) throw keyInvalid('the line starts with key options (from=, command=…), which are not accepted: send the key alone');
    throw keyInvalid(`the text is not a public key of an accepted type (it starts with ${printable(Buffer.from(type.slice(0, 64), 'latin1'))})`);
  }
  const data = match?.[2];
  if (data === undefined) throw keyInvalid(`the ${type} line has no key data after its type`);
  const blob = Buffer.from(data, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data) || blob.toString('base64') !== data) throw keyInvalid(`the key data of the ${type} line is not valid base64`);
  const comment = match?.[3]?.trim();
  if (comment !== undefined && /[\x00-\x1f\x7f]/.test(comment)) throw keyInvalid('the comment holds control characters');

  const reader = new SshWireReader(blob);
  const inner = reader.string();
  if (inner === undefined || inner.toString('latin1') !== type) {
    throw keyInvalid(`the line says ${type} but its key data holds ${inner === undefined ? 'no type' : printable(inner)}`);
  }
  const jwk = jwkOf(type, reader);
  if (!reader.done) throw keyInvalid(`the ${type} key data has bytes after the key`);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    throw keyInvalid(`the ${type} key data is not a valid key (for ECDSA: the point is not on the curve)`);
  }
  const parsed = loginKeyOf(key, comment === undefined || comment === '' ? undefined : comment);
  // The blob is rebuilt from the key: one that differs was encoded oddly (e.g. mpint padding) and
  // would get another fingerprint than ssh-keygen shows.
  if (parsed.line.split(' ')[1] !== data) throw keyInvalid(`the ${type} key data is not canonically encoded`);
  return parsed;
}
