import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import {
  AuditEventSchema,
  AuditVerifyQuerySchema,
  HfitError,
  zodIssueMessage,
  type AuditEvent,
  type AuditFileReport,
  type AuditInput,
  type AuditPage,
  type AuditQuery,
  type AuditSink,
  type AuditVerification,
  type AuditVerifyQuery,
} from '@hfit/contracts';
import type { Logger } from '@hfit/logger';
import type { Redis } from 'ioredis';
import type { AuditReader } from './audit-reader.js';
import { AuditFileWriter, type WrittenAuditLine } from './file/audit-file-writer.js';
import { listAuditFiles } from './file/list-audit-files.js';
import { readAuditDays } from './file/read-audit-days.js';
import { verifyAuditFile } from './file/verify-audit-file.js';
import { scrubSecrets } from './secret-scrubber.js';
import { AuditChainAnchors } from './stream/audit-chain-anchors.js';
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
 * and host, see `AuditFileWriter`), then to a Redis stream for queries, together with the new head
 * of this writer's chain in that file (`AuditChainAnchors`, which `verify` checks the files against).
 *
 * - `record` rejects when the event cannot be written to disk (`SERVICE_UNAVAILABLE`): the caller
 *   must not complete the action un-audited. A Redis failure is only logged: the event is on disk,
 *   and `reindex` puts it back in the stream after a Redis loss (not its anchor: anchors come only
 *   from writes, never from the files they guard).
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
  private readonly anchors: AuditChainAnchors;
  private readonly now: () => number;

  constructor(private readonly options: AuditLogOptions) {
    this.dir = options.dir;
    this.now = options.now ?? Date.now;
    const host = options.host ?? hostname();
    this.writer = `${host}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.files = new AuditFileWriter({ dir: options.dir, host, writer: this.writer, now: this.now });
    this.stream = new AuditStream(options.redis, options.streamKey, options.streamMaxLen);
    this.anchors = new AuditChainAnchors(options.redis, options.streamKey);
  }

  /** Key of the Redis stream. */
  get streamKey(): string {
    return this.stream.key;
  }

  async record(input: AuditInput): Promise<void> {
    const event = this.eventOf(input);
    let written: WrittenAuditLine;
    try {
      written = await this.files.append(event);
    } catch (err) {
      this.options.logger.error({ err, dir: this.dir, action: event.action }, 'audit: the event could not be written to the audit file');
      throw new HfitError('SERVICE_UNAVAILABLE', 'The audit trail cannot be written, so the action was refused; try again later (the server log has the cause)', { cause: err });
    }
    try {
      await this.stream.add(event, (tx) => this.anchors.set(tx, written.file, this.writer, written));
    } catch (err) {
      this.options.logger.warn(
        { err: { message: (err as Error).message }, id: event.id, action: event.action },
        'audit: event written to disk but not to the Redis stream and chain anchor (reindex adds the event back)',
      );
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

  /**
   * Verifies every audit file in `dir` (a folder shared by several hosts: all of theirs), or only
   * those of UTC days `since` (YYYY-MM-DD) and later: the hash chains of each file, and each chain
   * against its anchor in Redis, so that removing the last lines of a chain shows; an anchored file
   * that is not in `dir` is reported missing. Reads one line at a time.
   * @throws HfitError REQUEST_INVALID for a malformed `since`.
   */
  async verify(options: AuditVerifyQuery = {}): Promise<AuditVerification> {
    const { since } = options;
    if (since !== undefined && !AuditVerifyQuerySchema.shape.since.safeParse(since).success) {
      throw new HfitError('REQUEST_INVALID', `since "${since}" is not a UTC day: give it as YYYY-MM-DD, e.g. 2026-05-01`, { field: 'since' });
    }
    // Anchors first: each then names a line that was on disk before the files are read.
    const anchors = await this.anchors.read(since);
    const files: AuditFileReport[] = [];
    for (const { name, day } of await listAuditFiles(this.dir)) {
      if (since !== undefined && day < since) continue;
      files.push({ file: name, ...(await verifyAuditFile(path.join(this.dir, name), anchors.get(name))) });
      anchors.delete(name);
    }
    const missing = [...anchors.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([file, heads]) => ({
        file,
        writers: [...heads.keys()].sort(),
        message: `the file is not in audit.dir, but Redis holds the chain anchors of ${heads.size} writer${heads.size === 1 ? '' : 's'} in it: it was deleted, or written on a host with its own audit.dir (verify there)`,
      }));
    return { ok: missing.length === 0 && files.every((f) => f.ok), files, missing };
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
