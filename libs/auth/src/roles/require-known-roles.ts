import { ADMIN_ROLE, HfitError } from '@hfit/contracts';
import type { Grant } from '@hfit/contracts';

/**
 * Throws `ROLE_UNKNOWN` for the first role that is neither `admin` nor defined in `auth.roles`,
 * naming the field (`<field>[i]`) and the roles that exist.
 */
export function requireKnownRoles(roles: readonly string[], defined: Readonly<Record<string, Grant>>, field: string): void {
  roles.forEach((role, i) => {
    if (role !== ADMIN_ROLE && !Object.hasOwn(defined, role)) {
      const known = [ADMIN_ROLE, ...Object.keys(defined)].map((r) => `"${r}"`).join(', ');
      throw new HfitError('ROLE_UNKNOWN', `role "${role}" is not defined: use one of ${known} (roles are defined in auth.roles of the server config)`, {
        field: `${field}[${i}]`,
      });
    }
  });
}
