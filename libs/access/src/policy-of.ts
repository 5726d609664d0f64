import { ADMIN_GRANT, ADMIN_ROLE, type AccessPolicy, type Grant } from '@hfit/contracts';
import { grantUnion } from './grant-union.js';

/** Roles defined by the server config (`auth.roles`); `admin` is built in and never listed there. */
export type RoleGrants = Readonly<Record<string, Grant>>;

/**
 * A user's effective access: the grants of their roles (`admin` = everything; a role the config no
 * longer defines grants nothing) plus their own grants.
 */
export function policyOf(user: string, roles: readonly string[], ownGrants: readonly Grant[], roleGrants: RoleGrants): AccessPolicy {
  const uniqueRoles = [...new Set(roles)];
  const grants: Grant[] = [];
  for (const role of uniqueRoles) {
    if (role === ADMIN_ROLE) grants.push(ADMIN_GRANT);
    else if (Object.hasOwn(roleGrants, role)) grants.push(roleGrants[role]!);
  }
  grants.push(...ownGrants);
  return { user, roles: uniqueRoles, grant: grantUnion(grants) };
}
