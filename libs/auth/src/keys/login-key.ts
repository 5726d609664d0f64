import type { KeyObject } from 'node:crypto';
import type { PublicKeyView } from '@hfit/contracts';

/** Key types accepted for login (`PublicKeyView['type']`). */
export type LoginKeyType = PublicKeyView['type'];

/** A public key a user may log in with, parsed and checked. */
export interface LoginKey {
  /** The key, ready for `crypto.verify`. */
  readonly key: KeyObject;
  readonly type: LoginKeyType;
  /** RSA modulus bits, the EC curve size (256/384/521), or 256 for Ed25519. */
  readonly bits: number;
  /** SSH key type: `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`… */
  readonly sshType: string;
  /** `SHA256:<base64, no padding>` of the SSH wire blob, as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
  /** The `authorized_keys` comment, if any. */
  readonly comment?: string;
  /** The key as one canonical `authorized_keys` line: `<sshType> <base64 blob>[ <comment>]`. */
  readonly line: string;
}
