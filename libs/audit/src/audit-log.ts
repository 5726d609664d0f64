import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { AuditEventSchema, HfitError, zodIssueMessage, type AuditEvent, type AuditInput, type AuditPage, type AuditQuery, type AuditSink } from '@hfit/contracts';
import type { Logger } from '@hfit/logger';
import type { Redis } from 'ioredis';
import type { AuditReader } from './audit-reader.js';
import { AuditFileWriter } from './file/audit-file-writer.js';
import { readAuditDays } from './file/read-audit-days.js';
import { scrubSecrets } from './secret-scrubber.js';
import { AuditStream, type ReindexResult } from './stream/audit-stream.js';

/** Options of {@link AuditLog}. */
export interface AuditLogOptions {
  /** Absolute folder of the audit files (`audit.dir`). */
  readonly dir: string;
  /** Connection for the stream: the process's `queue`-role connection (fails fast when Redis is down). */
  readonly redis: Redis;
  /** Key of the stream (`<redis.prefix>:audit`). */
  readonly streamKey: string;
  /** `audit.streamMaxLen`. */
  readonly streamMaxLen: number;
  /** `audit.recordFilters`: keep filter texts (their sha256 is always kept). */
  readonly recordFilters: boolean;
  readonly logger: Logger;
  /** Host part of the file names (default: the machine's host name). */
  readonly host?: string;
  /** ms since the epoch (tests pin it). */
  readonly now?: () => number;
}

/**
 * The audit trail: every event goes to disk first (hash-chained JSON lines, one file per UTC day
 * and host, see `AuditFileWriter`), then to a Redis stream for queries.
 *
 * - `record` rejects when the event cannot be written to disk (`SERVICE_UNAVAILABLE`): the caller
 *   must not complete the action un-audited. A Redis failure is only logged: the event is on disk,
 *   and `reindex` puts it back in the stream after a Redis loss.
 * - Never stores a secret: filters are kept as their sha256 (the text too only with
 *   `recordFilters`), and any value that looks like a JWT, a CI token, a private key or a bearer
 *   token is replaced (and a warning logged, without the value).
 */
export class AuditLog implements AuditSink, AuditReader {
  readonly dir: string;
  /** This instance's chain id in the files: `<host>:<pid>:<random>`. */
  readonly writer: string;
  private readonly files: AuditFileWriter;
  private readonly stream: AuditStream;
  private readonly now: () => number;

  constructor(private readonly options: AuditLogOptions) {
    this.dir = options.dir;
    this.now = options.now ?? Date.now;
    const host = options.host ?? hostname();
    this.writer = `${host}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.files = new AuditFileWriter({ dir: options.dir, host, writer: this.writer, now: this.now });
    this.stream = new AuditStream(options.redis, options.streamKey, options.streamMaxLen);
  }

  /** Key of the Redis stream. */
  get streamKey(): string {
    return this.stream.key;
  }

  async record(input: AuditInput): Promise<void> {
    const event = this.eventOf(input);
    try {
      await this.files.append(event);
    } catch (err) {
      this.options.logger.error({ err, dir: this.dir, action: event.action }, 'audit: the event could not be written to the audit file');
      throw new HfitError('SERVICE_UNAVAILABLE', 'The audit trail cannot be written, so the action was refused; try again later (the server log has the cause)', { cause: err });
    }
    try {
      await this.stream.add(event);
    } catch (err) {
      this.options.logger.warn({ err: { message: (err as Error).message }, id: event.id, action: event.action }, 'audit: event written to disk but not to the Redis stream (reindex adds it back)');
    }
  }

  query(query: AuditQuery): Promise<AuditPage> {
    return this.stream.query(query);
  }

  /**
   * When the stream is empty or missing (Redis was lost or flushed), adds back the events of every
   * audit file in `dir` (a folder shared by several hosts: all of theirs), oldest first. Run at API
   * start; cheap when the stream holds events.
   */
  async reindex(): Promise<ReindexResult> {
    let bad = 0;
    const result = await this.stream.reindex(readAuditDays(this.dir, () => void (bad += 1)));
    if (bad > 0) this.options.logger.warn({ dir: this.dir, lines: bad }, 'audit: reindex skipped lines that are not audit events (run verifyAuditFile)');
    return result;
  }

  /** Waits for pending writes; later records are refused (the Redis connection is the caller's). */
  close(): Promise<void> {
    return this.files.close();
  }

  /** The event to store: id and time filled in, filters hashed, secret-looking values removed, validated. */
  private eventOf(input: AuditInput): AuditEvent {
    const ms = this.now();
    const { filter, ...rest } = input;
    const draft: Record<string, unknown> = {
      ...rest,
      id: `${String(ms).padStart(13, '0')}-${randomBytes(6).toString('hex')}`,
      time: input.time ?? new Date(ms).toISOString(),
    };
    if (filter !== undefined) {
      draft['filterSha256'] = input.filterSha256 ?? createHash('sha256').update(filter).digest('hex');
      if (this.options.recordFilters) draft['filter'] = filter;
    }
    for (const [field, value] of Object.entries(draft)) {
      if (typeof value !== 'string') continue;
      const scrubbed = scrubSecrets(value);
      if (scrubbed.kinds.length === 0) continue;
      draft[field] = scrubbed.text;
      this.options.logger.warn({ field, kinds: scrubbed.kinds, action: input.action }, 'audit: removed a secret-looking value from an event (the caller should never pass one)');
    }
    const parsed = AuditEventSchema.safeParse(draft);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${zodIssueMessage(i)}`).join('; ');
      throw new HfitError('INTERNAL_ERROR', `audit event refused: ${problems}`);
    }
    return parsed.data;
  }
}
