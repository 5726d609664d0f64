/** Realm named in the `WWW-Authenticate: Bearer` challenges of the API. */
export const AUTH_REALM = 'hfit';
