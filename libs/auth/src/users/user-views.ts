import { ADMIN_ROLE } from '@hfit/contracts';
import type { PublicKeyView, UserView } from '@hfit/contracts';
import type { StoredKey, StoredUser } from '../store/security-state.js';
import type { ConfigAdmin } from './config-admins.js';

/** A stored key as admins see it (never the key text). */
export function storedKeyView(key: StoredKey): PublicKeyView {
  return {
    fingerprint: key.fingerprint,
    type: key.type,
    bits: key.bits,
    ...(key.comment === undefined ? {} : { comment: key.comment }),
    addedAt: key.addedAt,
  };
}

/** A user of the security store as admins see it. */
export function storedUserView(user: StoredUser): UserView {
  return {
    name: user.name,
    roles: [...user.roles],
    grants: [...user.grants],
    keys: user.keys.map(storedKeyView),
    origin: 'store',
    createdAt: user.createdAt,
    createdBy: user.createdBy,
  };
}

/** A config admin as admins see it; `since` (the start of this process) stands for when its keys were added. */
export function configAdminView(admin: ConfigAdmin, since: string): UserView {
  return {
    name: admin.name,
    roles: [ADMIN_ROLE],
    grants: [],
    keys: admin.keys.map((k) => ({ fingerprint: k.fingerprint, type: k.type, bits: k.bits, ...(k.comment === undefined ? {} : { comment: k.comment }), addedAt: since })),
    origin: 'config',
  };
}
