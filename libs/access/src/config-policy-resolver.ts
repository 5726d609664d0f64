import type { AccessPolicy, Grant, PolicyResolver } from '@hfit/contracts';
import { ADMIN_ROLE } from '@hfit/contracts';
import { policyOf } from './policy-of.js';

/** What {@link configPolicyResolver} reads of the server config's `auth` section. */
export interface AuthAccessConfig {
  readonly admins: readonly { readonly user: string }[];
  readonly roles: Readonly<Record<string, Grant>>;
  readonly tokens: readonly { readonly user: string; readonly roles: readonly string[] }[];
}

/**
 * The users the server config alone defines: first admins (`auth.admins`, role `admin`) and the
 * users of static tokens (their `roles`). Roles of a user listed several times add up.
 */
export function configRolesOf(auth: AuthAccessConfig, user: string): string[] | undefined {
  let roles: string[] | undefined;
  if (auth.admins.some((a) => a.user === user)) roles = [ADMIN_ROLE];
  for (const t of auth.tokens) if (t.user === user) roles = [...(roles ?? []), ...t.roles];
  return roles;
}

/** A {@link PolicyResolver} over the server config only (no security store). */
export function configPolicyResolver(auth: AuthAccessConfig): PolicyResolver {
  return {
    policyFor(user: string): Promise<AccessPolicy | undefined> {
      const roles = configRolesOf(auth, user);
      return Promise.resolve(roles === undefined ? undefined : policyOf(user, roles, [], auth.roles));
    },
  };
}
