import { HfitError, isHfitError } from '@hfit/contracts';
import type { ErrorDetail } from '@hfit/contracts';
import type { LoginKey } from '../keys/login-key.js';
import { parsePublicKey } from '../keys/parse-public-key.js';

/** A first admin of the server config (`auth.admins`): always exists, role `admin`, cannot be changed through the API. */
export interface ConfigAdmin {
  readonly name: string;
  readonly keys: readonly LoginKey[];
}

/**
 * The `auth.admins` of the config with their keys parsed. Every unusable key is reported at once
 * (`CONFIG_INVALID`, one detail per `auth.admins[i].keys[j]`), so the server does not start with
 * an admin who cannot log in.
 */
export function configAdminsOf(admins: readonly { readonly user: string; readonly keys: readonly string[] }[]): ConfigAdmin[] {
  const problems: ErrorDetail[] = [];
  const parsed = admins.map((admin, i) => {
    const keys: LoginKey[] = [];
    admin.keys.forEach((text, j) => {
      const field = `auth.admins[${i}].keys[${j}]`;
      try {
        keys.push(parsePublicKey(text, field));
      } catch (err) {
        if (!isHfitError(err, 'KEY_INVALID')) throw err;
        problems.push({ field, message: err.message });
      }
    });
    return { name: admin.user, keys };
  });
  if (problems.length > 0) {
    throw new HfitError('CONFIG_INVALID', `auth.admins has ${problems.length} unusable public key(s):\n${problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}`, {
      details: problems,
    });
  }
  return parsed;
}
