import type { KeyObject } from 'node:crypto';
import type { LoginKey } from './login-key.js';
import { sshFingerprint, sshKeyBlobOf } from './ssh-key-blob.js';

/**
 * `key` as a {@link LoginKey}: its SSH type, size, fingerprint and canonical `authorized_keys`
 * line. Throws `KEY_INVALID` for a key login does not accept (see `sshKeyBlobOf`).
 */
export function loginKeyOf(key: KeyObject, comment?: string): LoginKey {
  const ssh = sshKeyBlobOf(key);
  const line = `${ssh.sshType} ${ssh.blob.toString('base64')}${comment === undefined ? '' : ` ${comment}`}`;
  return {
    key,
    type: ssh.type,
    bits: ssh.bits,
    sshType: ssh.sshType,
    fingerprint: sshFingerprint(ssh.blob),
    ...(comment === undefined ? {} : { comment }),
    line,
  };
}
