import { isApiError, type ApiClient } from '@hfit/api-client';
import type { TokenResponse } from '@hfit/contracts';
import { CliError } from '../errors/cli-error.js';
import type { LoginKey } from './login-key.js';
import { signChallenge } from './sign-challenge.js';

/** The one line a refused login shows, whatever the reason (the server does not tell them apart). */
export const LOGIN_REFUSED = 'login refused: unknown user, wrong key, or expired challenge';

/** What every challenge starts with (`hfit-login-v1:<audience>:<username>:<random>`). */
const CHALLENGE_PREFIX = 'hfit-login-v1:';

/**
 * Refuses to sign anything but an hfit login challenge for `user`: the key is the user's SSH key,
 * and a server (or something posing as one) must not get it to sign arbitrary data.
 */
function checkChallenge(challenge: string, user: string): void {
  const ok = challenge.startsWith(CHALLENGE_PREFIX) && challenge.includes(`:${user}:`) && challenge.length <= 512 && !/[\u0000-\u001f\u007f]/.test(challenge);
  if (!ok) throw new CliError(`the server sent a login challenge that is not one for ${user} (expected "${CHALLENGE_PREFIX}…:${user}:…"); nothing was signed`, { code: 'CHALLENGE_INVALID' });
}

function loginFailure(err: unknown, user: string, key: LoginKey): unknown {
  if (isApiError(err) && err.status === 401) {
    return new CliError(LOGIN_REFUSED, {
      code: 'UNAUTHENTICATED',
      hint: `user ${user}, key ${key.fingerprint} (${key.path}); an admin registers keys with \`hfit admin keys add ${user} <public key file>\``,
      data: { status: 401, user, fingerprint: key.fingerprint },
      cause: err,
    });
  }
  if (isApiError(err) && err.status === 429) {
    const wait = err.retryAfterSeconds;
    return new CliError(`too many login attempts: try again in ${wait === undefined ? 'a minute' : `${wait} second${wait === 1 ? '' : 's'}`}`, {
      code: 'RATE_LIMITED',
      data: { status: 429, ...(wait === undefined ? {} : { retryAfterSeconds: wait }) },
      cause: err,
    });
  }
  return err;
}

/**
 * Key-pair login: asks the server for a challenge for `user`, signs it with `key` and trades the
 * signature for a token. `client` needs no token. A refused login (401) is a one-line
 * {@link LOGIN_REFUSED} `CliError`; a rate limit (429) says how long to wait.
 */
export async function loginWithKey(client: ApiClient, user: string, key: LoginKey): Promise<TokenResponse> {
  try {
    const { challenge } = await client.auth.challenge(user);
    checkChallenge(challenge, user);
    return await client.auth.token({ username: user, challenge, signature: signChallenge(key, challenge) });
  } catch (err) {
    throw loginFailure(err, user, key);
  }
}
