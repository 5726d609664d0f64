import { createPublicKey, type KeyObject } from 'node:crypto';
import { keyInvalid } from './key-invalid.js';
import type { LoginKey } from './login-key.js';
import { loginKeyOf } from './login-key-of.js';

/**
 * Parses one PEM public key: SubjectPublicKeyInfo (`BEGIN PUBLIC KEY`: RSA, EC P-256/384/521,
 * Ed25519) or PKCS#1 (`BEGIN RSA PUBLIC KEY`). A private key is refused outright (node would
 * happily derive its public half, and the sender should learn they sent a secret), as are
 * certificates, several blocks, and text around the block.
 */
export function parsePemPublicKey(text: string): LoginKey {
  const pem = text.trim();
  const labels = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]!);
  if (labels.some((l) => l.includes('PRIVATE KEY'))) {
    throw keyInvalid('this is a PRIVATE key: never send it anywhere (replace it if it left your machine); send the public key instead');
  }
  if (labels.length !== 1) throw keyInvalid(labels.length === 0 ? 'the PEM text has no BEGIN line' : 'the text holds several PEM blocks: send one key');
  const label = labels[0]!;
  if (label === 'CERTIFICATE') throw keyInvalid('X.509 certificates are not accepted: send the public key (openssl x509 -pubkey -noout)');
  const type = label === 'PUBLIC KEY' ? 'spki' : label === 'RSA PUBLIC KEY' ? 'pkcs1' : undefined;
  if (type === undefined) throw keyInvalid(`a PEM "${label}" is not a public key`);
  if (!pem.startsWith(`-----BEGIN ${label}-----`) || !pem.endsWith(`-----END ${label}-----`)) {
    throw keyInvalid('the PEM block must be alone, from its BEGIN line to its END line');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem', type });
  } catch {
    throw keyInvalid(`the PEM "${label}" block does not hold a valid public key`);
  }
  return loginKeyOf(key);
}
