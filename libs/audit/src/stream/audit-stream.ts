import { randomUUID } from 'node:crypto';
import { AuditEventSchema, HfitError, type AuditEvent, type AuditPage, type AuditQuery } from '@hfit/contracts';
import type { ChainableCommander, Redis } from 'ioredis';

/**
 * How far past `until` a query keeps reading. Entry ids follow event times, except when an event
 * arrives after a newer one was added (another host's clock, a reindex racing live events): then
 * Redis gives it the next id instead, a little later than its time.
 */
const UNTIL_SLACK_MS = 10 * 60_000;

/** Entries read per `XRANGE` while a query filters. */
const SCAN_BATCH = 500;

/** Entries added per pipeline by a reindex. */
const REINDEX_BATCH = 500;

/** A reindex holds this lock so two API processes starting together do not both re-add. */
const REINDEX_LOCK_MS = 10 * 60_000;

const CURSOR = /^\d{1,20}-\d{1,20}$/;

/**
 * Appends the entries that reached the live stream while a reindex filled the scratch stream
 * (skipping those the files already held, by event id), then puts the scratch stream in place of
 * the live one. Atomic, so no live event is lost in between.
 * KEYS: live stream, scratch stream. ARGV: MAXLEN.
 */
const MERGE_SCRIPT = `
local live = redis.call('XRANGE', KEYS[1], '-', '+')
local merged = 0
for _, entry in ipairs(live) do
  local f = entry[2]
  local id
  for i = 1, #f, 2 do if f[i] == 'id' then id = f[i + 1] end end
  local dup = false
  if id then
    local ms = string.match(id, '^(%d+)%-')
    local near = redis.call('XRANGE', KEYS[2], ms or '-', '+')
    for _, t in ipairs(near) do
      local tf = t[2]
      for i = 1, #tf, 2 do if tf[i] == 'id' and tf[i + 1] == id then dup = true end end
      if dup then break end
    end
  end
  if not dup then
    redis.call('XADD', KEYS[2], '*', unpack(f))
    merged = merged + 1
  end
end
redis.call('RENAME', KEYS[2], KEYS[1])
redis.call('PERSIST', KEYS[1])
redis.call('XTRIM', KEYS[1], 'MAXLEN', '~', ARGV[1])
return merged
`;

/** Deletes the lock only if it is still ours. KEYS: lock. ARGV: token. */
const UNLOCK_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** What {@link AuditStream.reindex} did. */
export type ReindexResult =
  | { readonly reindexed: true; readonly events: number; readonly merged: number }
  | { readonly reindexed: false; readonly reason: 'stream-not-empty' | 'locked' | 'no-events' };

/** The event's time in ms (its `time`, which the schema guarantees to be an ISO date). */
function eventMs(event: AuditEvent): number {
  return Date.parse(event.time);
}

/** Stream entry fields (`[k1, v1, k2, v2…]`) -> the event, or undefined when unreadable. */
function eventOf(fields: readonly string[]): AuditEvent | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] !== 'e') continue;
    try {
      const parsed = AuditEventSchema.safeParse(JSON.parse(fields[i + 1]!));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function matches(event: AuditEvent, q: AuditQuery, sinceMs: number | undefined, untilMs: number | undefined): boolean {
  if (q.action !== undefined && event.action !== q.action) return false;
  if (q.user !== undefined && event.actor !== q.user && event.owner !== q.user) return false;
  const ms = eventMs(event);
  if (sinceMs !== undefined && ms < sinceMs) return false;
  return untilMs === undefined || ms <= untilMs;
}

/**
 * The Redis stream of audit events (`<prefix>:audit`, trimmed to about `maxLen` entries) that
 * `GET /v1/admin/audit` reads. Entry ids follow event times (`<ms>-<n>`), so time ranges map to id
 * ranges; fields: `id` (the event id) and `e` (the event as JSON).
 */
export class AuditStream {
  constructor(
    private readonly redis: Redis,
    readonly key: string,
    private readonly maxLen: number,
  ) {}

  /**
   * Adds one event, in one MULTI with the commands `also` queues (the chain anchor): one round
   * trip. Resolves with the entry id; rejects when any of the commands failed.
   */
  async add(event: AuditEvent, also: (tx: ChainableCommander) => void = () => undefined): Promise<string> {
    const fields = ['id', event.id, 'e', JSON.stringify(event)];
    const tx = this.redis.multi().xadd(this.key, 'MAXLEN', '~', String(this.maxLen), `${eventMs(event)}-*`, ...fields);
    also(tx);
    const [added, ...others] = (await tx.exec()) ?? [];
    const failed = others.find(([err]) => err !== null);
    if (failed !== undefined) throw failed[0];
    if (added === undefined) throw new Error('audit stream: the MULTI was discarded');
    const [err, id] = added;
    if (err === null) return id as string;
    // A newer entry is already in (another host's clock, a late event): take the next id.
    if (!/equal or smaller/i.test(err.message)) throw err;
    return (await this.redis.xadd(this.key, 'MAXLEN', '~', String(this.maxLen), '*', ...fields))!;
  }

  /** Entries in the stream (0 when it does not exist). */
  length(): Promise<number> {
    return this.redis.xlen(this.key);
  }

  /**
   * Events matching `q`, oldest first: `user` matches the actor or the owner, `action` exactly,
   * `since`/`until` the event time (inclusive). `nextCursor` is set when more events match.
   * @throws HfitError REQUEST_INVALID for a malformed cursor.
   */
  async query(q: AuditQuery): Promise<AuditPage> {
    if (q.cursor !== undefined && !CURSOR.test(q.cursor)) {
      throw new HfitError('REQUEST_INVALID', 'cursor is not one this server gave out: pass the nextCursor of the previous page, or leave it out', { field: 'cursor' });
    }
    const sinceMs = q.since === undefined ? undefined : Date.parse(q.since);
    const untilMs = q.until === undefined ? undefined : Date.parse(q.until);
    // An event's entry id is never earlier than its time: `since` bounds the ids exactly.
    let start = q.cursor !== undefined ? `(${q.cursor}` : sinceMs !== undefined ? String(sinceMs) : '-';
    const end = untilMs === undefined ? '+' : String(untilMs + UNTIL_SLACK_MS);
    const items: { readonly entry: string; readonly event: AuditEvent }[] = [];
    let more = false;
    for (;;) {
      const batch = await this.redis.xrange(this.key, start, end, 'COUNT', SCAN_BATCH);
      for (const [entry, fields] of batch) {
        const event = eventOf(fields);
        if (event === undefined || !matches(event, q, sinceMs, untilMs)) continue;
        if (items.length === q.limit) {
          more = true;
          break;
        }
        items.push({ entry, event });
      }
      if (more || batch.length < SCAN_BATCH) break;
      start = `(${batch[batch.length - 1]![0]}`;
    }
    const last = items[items.length - 1];
    return { items: items.map((i) => i.event), ...(more && last !== undefined ? { nextCursor: last.entry } : {}) };
  }

  /**
   * Fills an empty (or missing) stream again from `groups` of events, each group sorted oldest
   * first and the groups in time order (a day of audit files each). The events go to a scratch
   * stream first, with ids from their times; events recorded live meanwhile are merged in and the
   * scratch stream replaces the live one in one step. Does nothing when the stream holds entries
   * or another process is reindexing.
   */
  async reindex(groups: AsyncIterable<readonly AuditEvent[]>): Promise<ReindexResult> {
    if ((await this.length()) > 0) return { reindexed: false, reason: 'stream-not-empty' };
    const token = randomUUID();
    const lock = `${this.key}:reindex-lock`;
    if ((await this.redis.set(lock, token, 'PX', REINDEX_LOCK_MS, 'NX')) !== 'OK') return { reindexed: false, reason: 'locked' };
    const scratch = `${this.key}:reindex:${token}`;
    try {
      let lastMs = 0;
      let seq = 0;
      let events = 0;
      for await (const group of groups) {
        for (let i = 0; i < group.length; i += REINDEX_BATCH) {
          const pipeline = this.redis.pipeline();
          for (const event of group.slice(i, i + REINDEX_BATCH)) {
            const ms = Math.max(eventMs(event), lastMs, 1);
            seq = ms === lastMs ? seq + 1 : 0;
            lastMs = ms;
            pipeline.xadd(scratch, 'MAXLEN', '~', String(this.maxLen), `${ms}-${seq}`, 'id', event.id, 'e', JSON.stringify(event));
          }
          const results = (await pipeline.exec()) ?? [];
          const failed = results.find(([err]) => err !== null);
          if (failed !== undefined) throw failed[0];
          events += results.length;
        }
        // Expires if this process dies half-way; the merge makes the stream persistent again.
        await this.redis.pexpire(scratch, REINDEX_LOCK_MS);
      }
      if (events === 0) return { reindexed: false, reason: 'no-events' };
      const merged = Number(await this.redis.eval(MERGE_SCRIPT, 2, this.key, scratch, String(this.maxLen)));
      return { reindexed: true, events, merged };
    } finally {
      await this.redis.unlink(scratch).catch(() => undefined);
      await this.redis.eval(UNLOCK_SCRIPT, 1, lock, token).catch(() => undefined);
    }
  }
}
