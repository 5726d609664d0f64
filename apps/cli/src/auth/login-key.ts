import type { KeyObject } from 'node:crypto';

/** Key types `hfit login` signs with (those the server accepts, see `PUBLIC_KEY_TYPES`). */
export type LoginKeyType = 'rsa' | 'ecdsa' | 'ed25519';

/** How a key file was written. */
export type LoginKeyFormat = 'openssh' | 'pkcs1' | 'sec1' | 'pkcs8';

/** What the server accepts, as error messages say it. */
export const SUPPORTED_KEYS = 'RSA (2048 bits or more), ECDSA (P-256, P-384, P-521) or Ed25519';

/** A private key loaded for login: checked to be of a supported type and size, ready to sign. */
export interface LoginKey {
  /** The file it was read from. */
  readonly path: string;
  readonly type: LoginKeyType;
  /** RSA modulus bits, EC curve size, 256 for Ed25519 (as the server's `PublicKeyView.bits`). */
  readonly bits: number;
  /** ECDSA only: `P-256`, `P-384` or `P-521`. */
  readonly curve?: 'P-256' | 'P-384' | 'P-521';
  readonly format: LoginKeyFormat;
  /** True when the file was passphrase-protected. */
  readonly encrypted: boolean;
  /** `SHA256:…` of the public key, as `ssh-keygen -lf` and the server's key list show it. */
  readonly fingerprint: string;
  readonly privateKey: KeyObject;
}
