import { AUDIT_ACTIONS, type AuditEvent } from '@hfit/contracts';
import { Flags } from '@oclif/core';
import { parseTimeSpec } from '../../../admin/parse-time.js';
import { BaseCommand } from '../../../base-command.js';
import { textTable } from '../../../render/text-table.js';

/** What `hfit admin audit --json` prints (`jq -c '.events[]'` makes it NDJSON). */
export interface AuditResult {
  readonly events: AuditEvent[];
  /** True when --limit events were read: there may be more (narrow --since/--until, or raise --limit). */
  readonly limitReached: boolean;
}

/** What the DETAIL column shows: the error code, then the short text. */
function detailOf(e: AuditEvent): string {
  return [e.code, e.detail, e.buildId === undefined || e.target === e.buildId ? undefined : `build ${e.buildId}`].filter((x) => x !== undefined && x !== '').join(': ');
}

/** `hfit admin audit`. */
export default class AdminAudit extends BaseCommand {
  static override summary = 'Read the audit trail: logins, row and file reads, builds, downloads, admin changes, denials';
  static override description = `Events come oldest first, page after page, until --limit. --since and --until take an ISO date or date-time, or a duration back from now (2h, 7d). --format ndjson prints one JSON event per line as pages arrive; --json prints {events, limitReached}.`;
  static override examples = [
    '<%= config.bin %> admin audit --since 2h',
    '<%= config.bin %> admin audit --user bob --action browse.rows --since 2024-05-01 --until 2024-05-02',
    '<%= config.bin %> admin audit --action access.denied --limit 1000 --format ndjson > denied.ndjson',
  ];
  static override flags = {
    user: Flags.string({ char: 'u', description: 'events of this user (the actor)' }),
    action: Flags.option({ options: AUDIT_ACTIONS, char: 'a', description: 'events of this action' })(),
    since: Flags.string({ description: 'from this time: ISO date/date-time, or a duration ago (2h, 7d)' }),
    until: Flags.string({ description: 'before this time: ISO date/date-time, or a duration ago' }),
    limit: Flags.integer({ char: 'l', min: 1, max: 100_000, default: 100, description: 'events to read at most (1-100000)' }),
    format: Flags.option({ options: ['table', 'ndjson'] as const, default: 'table', char: 'f', description: 'output format (--json: one document)' })(),
  };

  async run(): Promise<AuditResult> {
    const { flags } = await this.parse(AdminAudit);
    const now = new Date();
    const params = {
      ...(flags.user === undefined ? {} : { user: flags.user }),
      ...(flags.action === undefined ? {} : { action: flags.action }),
      ...(flags.since === undefined ? {} : { since: parseTimeSpec(flags.since, { flag: '--since', direction: 'past', now }) }),
      ...(flags.until === undefined ? {} : { until: parseTimeSpec(flags.until, { flag: '--until', direction: 'past', now }) }),
    };
    const client = await this.client();
    const streaming = flags.format === 'ndjson' && !this.output.json;
    // Kept for the return value: bounded by --limit.
    const events: AuditEvent[] = [];
    for await (const event of client.admin.auditEvents(params, { max: flags.limit })) {
      if (streaming) this.output.stdout.write(`${JSON.stringify(event)}\n`);
      events.push(event);
    }
    const limitReached = events.length === flags.limit;
    if (!streaming) {
      this.output.lines(
        textTable(
          ['TIME', 'ACTION', 'OUTCOME', 'ACTOR', 'VIA', 'TARGET', 'DETAIL'],
          events.map((e) => [e.time, e.action, e.outcome, e.actor, e.via ?? '', e.target ?? '', detailOf(e)]),
        ),
      );
      this.output.line(this.output.style.dim(`${events.length} event${events.length === 1 ? '' : 's'}${limitReached ? ` (--limit ${flags.limit} reached)` : ''}`));
    }
    return { events, limitReached };
  }
}
