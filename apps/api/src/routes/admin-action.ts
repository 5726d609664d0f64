import { Access } from '@hfit/access';
import { isHfitError } from '@hfit/contracts';
import type { AuditAction, AuditSink } from '@hfit/contracts';
import type { Request } from 'express';
import type { AuthUser } from '../auth/auth-user.js';
import { clientAddress } from './client-address.js';

/** Who is acting, for {@link adminAction}. */
export interface AdminContext {
  readonly req: Request;
  readonly user: AuthUser;
  readonly requestId: string;
}

/** Throws `FORBIDDEN` (403) unless the caller has the `admin` action. */
export function requireAdmin(user: AuthUser): void {
  new Access(user.policy).requireAction('admin');
}

/**
 * Runs an admin change and records it in the audit trail: `success` with `target` and `detail`,
 * `denied` when the caller is no admin, `failure` with the error code otherwise.
 */
export async function adminAction<T>(
  audit: AuditSink,
  ctx: AdminContext,
  event: { readonly action: AuditAction; readonly target: string; readonly detail?: string | ((result: T) => string) },
  change: () => Promise<T>,
): Promise<T> {
  const base = { action: event.action, actor: ctx.user.user, via: ctx.user.via, clientIp: clientAddress(ctx.req), requestId: ctx.requestId, target: event.target };
  try {
    requireAdmin(ctx.user);
  } catch (err) {
    await audit.record({ ...base, outcome: 'denied', code: 'FORBIDDEN' });
    throw err;
  }
  try {
    const result = await change();
    const detail = typeof event.detail === 'function' ? event.detail(result) : event.detail;
    await audit.record({ ...base, outcome: 'success', ...(detail === undefined ? {} : { detail }) });
    return result;
  } catch (err) {
    await audit.record({ ...base, outcome: 'failure', ...(isHfitError(err) ? { code: err.code } : {}) });
    throw err;
  }
}
