import { HfitError, isHfitError } from '@hfit/contracts';
import { keyInvalid } from './key-invalid.js';
import type { LoginKey } from './login-key.js';
import { parseAuthorizedKey } from './parse-authorized-key.js';
import { parsePemPublicKey } from './parse-pem-public-key.js';

function parse(text: string): LoginKey {
  const t = text.trim();
  if (t === '') throw keyInvalid('the key is empty');
  if (t.startsWith('---- BEGIN SSH2 PUBLIC KEY ----')) {
    throw keyInvalid('RFC 4716 ("SSH2 PUBLIC KEY") blocks are not accepted: convert it with ssh-keygen -i -f <file>');
  }
  if (t.startsWith('PuTTY-User-Key-File')) throw keyInvalid('this is a PuTTY PRIVATE key: never send it; export the public key (OpenSSH format)');
  if (t.startsWith('-----BEGIN ')) return parsePemPublicKey(t);
  return parseAuthorizedKey(t);
}

/**
 * Parses a public key given as text, an OpenSSH `authorized_keys` line or a PEM block, into a
 * {@link LoginKey}. Throws `HfitError('KEY_INVALID')` naming the problem and what is accepted;
 * `field` (e.g. `body.keys[1]`, `auth.admins[0].keys[0]`) is set on the error when given.
 */
export function parsePublicKey(text: string, field?: string): LoginKey {
  try {
    return parse(text);
  } catch (err) {
    if (field !== undefined && isHfitError(err, 'KEY_INVALID')) throw new HfitError('KEY_INVALID', err.message, { field });
    throw err;
  }
}
