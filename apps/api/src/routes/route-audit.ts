import { createHash } from 'node:crypto';
import { Access } from '@hfit/access';
import { isHfitError, type Action, type AuditInput, type AuditSink, type BuildView } from '@hfit/contracts';
import type { RouteContext } from './route-spec.js';

/** What every audit event of a request carries: who, how authenticated, from where, which request. */
export function requestAudit(ctx: RouteContext<'bearer'>): Pick<AuditInput, 'actor' | 'via' | 'clientIp' | 'requestId'> {
  return {
    actor: ctx.user.user,
    via: ctx.user.via,
    ...(ctx.req.ip === undefined ? {} : { clientIp: ctx.req.ip }),
    requestId: ctx.requestId,
  };
}

/** What every event about one build names: the build, its owner, and its package (or template). */
export function buildAuditFields(view: Pick<BuildView, 'id' | 'owner' | 'packageName' | 'templateName'>): Pick<AuditInput, 'buildId' | 'owner' | 'target'> {
  return { buildId: view.id, owner: view.owner, target: view.packageName ?? view.templateName };
}

/** The caller's {@link Access}. */
export function accessOf(ctx: RouteContext<'bearer'>): Access {
  return new Access(ctx.user.policy);
}

/** sha256 (hex) of a filter text: the audit trail records this, never the text. */
export function filterSha256(filter: string): string {
  return createHash('sha256').update(filter, 'utf8').digest('hex');
}

/** An event of a request, without what {@link requestAudit} adds. */
type RequestEvent = Omit<AuditInput, 'actor' | 'via' | 'clientIp' | 'requestId'>;

/**
 * Records an event before the audited action takes effect or its data leaves. A recording failure
 * propagates (the audit log answers `SERVICE_UNAVAILABLE`), so the request fails instead of
 * completing unrecorded.
 */
export async function recordAudit(audit: AuditSink, ctx: RouteContext<'bearer'>, event: RequestEvent): Promise<void> {
  await audit.record({ ...requestAudit(ctx), ...event });
}

/**
 * Records what happened after the answer went out (the counts of a streamed answer whose start
 * was recorded, or a refusal that is thrown anyway): nothing can be refused any more, so a
 * recording failure is logged as an error.
 */
export async function recordAuditAfter(audit: AuditSink, ctx: RouteContext<'bearer'>, event: RequestEvent): Promise<void> {
  try {
    await audit.record({ ...requestAudit(ctx), ...event });
  } catch (err) {
    ctx.log.error({ err, action: event.action, outcome: event.outcome }, 'audit event not recorded');
  }
}

/**
 * Runs a route's work; when it is refused with `FORBIDDEN` (a 403), records `access.denied` with
 * the action that was tried and its target, then lets the refusal through.
 */
export async function auditingDenials<T>(audit: AuditSink, ctx: RouteContext<'bearer'>, action: Action, target: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isHfitError(err, 'FORBIDDEN')) {
      await recordAuditAfter(audit, ctx, { action: 'access.denied', outcome: 'denied', target, code: 'FORBIDDEN', detail: `${action}: ${err.message}` });
    }
    throw err;
  }
}
