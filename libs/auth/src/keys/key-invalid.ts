import { HfitError } from '@hfit/contracts';

/** What a public key may be, for error messages that tell the sender what to send instead. */
export const ACCEPTED_KEYS =
  'send an OpenSSH public key line (ssh-ed25519, ssh-rsa of 2048 bits or more, or ecdsa-sha2-nistp256/384/521: ' +
  'the content of ~/.ssh/id_ed25519.pub) or a PEM public key ("BEGIN PUBLIC KEY", or "BEGIN RSA PUBLIC KEY")';

/** `KEY_INVALID` naming the problem with the key and what is accepted. */
export function keyInvalid(problem: string, field?: string): HfitError {
  return new HfitError('KEY_INVALID', `${problem}: ${ACCEPTED_KEYS}`, field === undefined ? {} : { field });
}
