import { configRolesOf, policyOf, type AuthAccessConfig } from '@hfit/access';
import type { AccessPolicy, PolicyResolver } from '@hfit/contracts';
import { activeCiTokenOf } from '../ci-tokens/ci-tokens.js';
import type { SecurityStore } from '../store/security-store.js';

/** Options of {@link SecurityPolicies}. */
export interface SecurityPoliciesOptions {
  readonly store: SecurityStore;
  /** `auth` of the config: first admins, roles, static-token users. */
  readonly auth: AuthAccessConfig;
  readonly now?: () => number;
}

/**
 * Every user's current access, from the config and the security store together: roles of the
 * config (first admins are `admin`, static-token users have their `roles`), plus a stored user's
 * roles and grants, plus for `ci.<name>` the role of the active, unexpired CI token of that name.
 * `undefined` for a user none of them knows (removed, revoked, expired). Reads the store through
 * its version check, so a change made by another replica applies at once.
 */
export class SecurityPolicies implements PolicyResolver {
  private readonly now: () => number;

  constructor(private readonly options: SecurityPoliciesOptions) {
    this.now = options.now ?? Date.now;
  }

  async policyFor(user: string): Promise<AccessPolicy | undefined> {
    const { auth } = this.options;
    const configRoles = configRolesOf(auth, user);
    const state = await this.options.store.read();
    const stored = state.users.find((u) => u.name === user);
    const ciToken = activeCiTokenOf(state.ciTokens, user, this.now());
    if (configRoles === undefined && stored === undefined && ciToken === undefined) return undefined;
    const roles = [...(configRoles ?? []), ...(stored?.roles ?? []), ...(ciToken === undefined ? [] : [ciToken.role])];
    return policyOf(user, roles, stored?.grants ?? [], auth.roles);
  }
}
