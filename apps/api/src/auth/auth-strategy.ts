import type { Strategy } from 'passport';

/**
 * One way of authenticating a request, tried in list order by `createAuthenticate`: the first
 * strategy that succeeds wins. A strategy's `success` user must be an `AuthUser` (`{ user }`); its
 * `fail` challenge (a string such as `Bearer realm="hfit"`) becomes one `WWW-Authenticate` value
 * when every strategy failed.
 */
export interface AuthStrategy {
  /** Unique name the strategy is registered under (e.g. `static-token`, `jwt`, `ci-token`). */
  readonly name: string;
  readonly strategy: Strategy;
}
