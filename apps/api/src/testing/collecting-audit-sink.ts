import type { AuditEvent, AuditInput, AuditSink } from '@hfit/contracts';

/**
 * An {@link AuditSink} that keeps events in memory, for route tests that assert what was audited,
 * and hands each one on to `forward` when given (the durable audit log, files plus a Redis stream,
 * is `@hfit/audit`'s and tested there); a failure of `forward` is the caller's, as in production.
 */
export class CollectingAuditSink implements AuditSink {
  readonly events: AuditEvent[] = [];
  private seq = 0;

  constructor(private readonly forward?: AuditSink) {}

  async record(event: AuditInput): Promise<void> {
    await this.forward?.record(event);
    const time = event.time ?? new Date().toISOString();
    this.events.push({ ...event, time, id: `${String(Date.parse(time)).padStart(13, '0')}-${String(this.seq++).padStart(6, '0')}` });
  }

  /** Events of one action, oldest first. */
  of(action: AuditEvent['action']): AuditEvent[] {
    return this.events.filter((e) => e.action === action);
  }

  /**
   * The first event (oldest first) that `matches`, waiting up to `timeoutMs` for it: an answer's
   * closing event is recorded just after its last byte, so a client may read the body before it.
   */
  async next(matches: (e: AuditEvent) => boolean, timeoutMs = 5_000): Promise<AuditEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(matches);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no matching audit event after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
