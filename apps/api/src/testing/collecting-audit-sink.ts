import type { AuditEvent, AuditInput, AuditSink } from '@hfit/contracts';

/**
 * An {@link AuditSink} that keeps events in memory, for route tests that assert what was audited
 * (the durable audit log, files plus a Redis stream, is `@hfit/audit`'s and tested there).
 */
export class CollectingAuditSink implements AuditSink {
  readonly events: AuditEvent[] = [];
  private seq = 0;

  record(event: AuditInput): Promise<void> {
    const time = event.time ?? new Date().toISOString();
    this.events.push({ ...event, time, id: `${String(Date.parse(time)).padStart(13, '0')}-${String(this.seq++).padStart(6, '0')}` });
    return Promise.resolve();
  }

  /** Events of one action, oldest first. */
  of(action: AuditEvent['action']): AuditEvent[] {
    return this.events.filter((e) => e.action === action);
  }
}
