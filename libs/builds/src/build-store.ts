import { createHash } from 'node:crypto';
import { HfitError, isFinalBuildState, type ExportProgress } from '@hfit/contracts';
import type { ChainableCommander, Redis } from 'ioredis';
import { BuildRecordSchema, type BuildRecord } from './build-record.js';

/**
 * Compare-and-set of a build record: writes ARGV[2] only when the stored JSON is still ARGV[1]
 * (optimistic concurrency without WATCH, which is per connection and unsafe on a shared client).
 */
const CAS_SCRIPT = `
local cur = redis.call('HGET', KEYS[1], 'rec')
if cur == ARGV[1] then
  redis.call('HSET', KEYS[1], 'rec', ARGV[2])
  if ARGV[3] == '1' then redis.call('SREM', KEYS[2], ARGV[4]) end
  return 1
end
return 0`;

/**
 * Stores a new record (KEYS[1]) and, for a build that is not final (ARGV[3] = '1'), counts it in
 * its owner's set of queued and running builds (KEYS[2]) — unless the set already holds ARGV[4]
 * builds (a cap above 0): then nothing is written. Returns {stored (0/1), builds counted}.
 */
const CREATE_SCRIPT = `
if ARGV[3] == '1' then
  local n = redis.call('SCARD', KEYS[2])
  local cap = tonumber(ARGV[4])
  if cap > 0 and n >= cap then return {0, n} end
  redis.call('SADD', KEYS[2], ARGV[1])
  redis.call('HSET', KEYS[1], 'rec', ARGV[2])
  return {1, n + 1}
end
redis.call('HSET', KEYS[1], 'rec', ARGV[2])
return {1, 0}`;

/** States a record never leaves, as Lua sees them. */
const LUA_FINAL = `local final = { succeeded = true, failed = true, cancelled = true }`;

/**
 * Repairs one member of an owner's active set: counted (SADD) when the record KEYS[1] exists and is
 * not final, dropped (SREM) otherwise. Atomic with the record, so a build ending meanwhile is
 * never counted again. Returns 1 when it is counted.
 */
const RECOUNT_SCRIPT = `
${LUA_FINAL}
local raw = redis.call('HGET', KEYS[1], 'rec')
if raw and not final[cjson.decode(raw).state] then
  redis.call('SADD', KEYS[2], ARGV[1])
  return 1
end
redis.call('SREM', KEYS[2], ARGV[1])
return 0`;

/** Idempotency keys live a day: long enough for a CI job's retries, short enough not to pile up. */
const IDEMPOTENCY_TTL_S = 24 * 3600;

/** How an idempotency key was used: the request it came with and the build it made. */
export interface IdempotencyEntry {
  readonly requestHash: string;
  readonly buildId: string;
}

/** Index that {@link BuildStore.page} walks. */
export type BuildIndex = { readonly kind: 'all' } | { readonly kind: 'template' | 'package'; readonly name: string };

/**
 * The live build catalogue in Redis, under `<prefix>:b:`. A build is one hash (`rec` = the JSON
 * record, `x:<export>` = progress of each export, written by whichever worker runs it); ids are
 * indexed in lexicographic sorted sets (ids sort by creation time) per template and per package,
 * and succeeded builds by finish time per package and template, for "latest".
 */
export class BuildStore {
  private readonly p: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.p = `${prefix}:b:`;
  }

  /** Redis channel on which cancel requests are published (message = build id). */
  get cancelChannel(): string {
    return `${this.p}cancel`;
  }

  private recKey(id: string): string {
    return `${this.p}rec:${id}`;
  }

  private indexKey(index: BuildIndex): string {
    return index.kind === 'all' ? `${this.p}all` : `${this.p}${index.kind === 'template' ? 'tmpl' : 'pkg'}:${index.name}`;
  }

  private okKey(kind: 'template' | 'package', name: string): string {
    return `${this.p}ok:${kind === 'template' ? 'tmpl' : 'pkg'}:${name}`;
  }

  /** Set of the ids of `owner`'s builds that are queued or running. */
  private activeKey(owner: string): string {
    return `${this.p}active:${owner}`;
  }

  /**
   * Stores a new record and indexes it. A build that is not final counts against its owner's
   * `maxActive` (0 or absent = no cap), atomically with the write: with that many builds queued or
   * running already, nothing is stored and `BUILD_LIMIT_REACHED` is thrown, naming the cap and the
   * count. The count drops when the build reaches a final state ({@link update}).
   */
  async create(rec: BuildRecord, options: { readonly maxActive?: number } = {}): Promise<void> {
    const cap = options.maxActive ?? 0;
    const counted = !isFinalBuildState(rec.state);
    const [stored, active] = (await this.redis.eval(
      CREATE_SCRIPT,
      2,
      this.recKey(rec.id),
      this.activeKey(rec.owner),
      rec.id,
      JSON.stringify(rec),
      counted ? '1' : '0',
      String(cap),
    )) as [number, number];
    if (stored !== 1) {
      throw new HfitError(
        'BUILD_LIMIT_REACHED',
        `user "${rec.owner}" already has ${active} build${active === 1 ? '' : 's'} queued or running, the most allowed at once ` +
          `(api.maxConcurrentBuildsPerUser = ${cap}): wait for one to finish, or cancel one`,
      );
    }
    const m = this.redis.multi();
    m.zadd(this.indexKey({ kind: 'all' }), 0, rec.id);
    m.zadd(this.indexKey({ kind: 'template', name: rec.templateName }), 0, rec.id);
    if (rec.packageName !== undefined) m.zadd(this.indexKey({ kind: 'package', name: rec.packageName }), 0, rec.id);
    if (rec.state === 'succeeded' && rec.finishedAt !== undefined && rec.artifactRemovedAt === undefined) this.addLatest(m, rec);
    await m.exec();
  }

  /** The record of `id`, or undefined. */
  async get(id: string): Promise<BuildRecord | undefined> {
    const raw = await this.redis.hget(this.recKey(id), 'rec');
    return raw === null ? undefined : BuildRecordSchema.parse(JSON.parse(raw));
  }

  /** The record of `id`, or `BUILD_NOT_FOUND`. */
  async require(id: string): Promise<BuildRecord> {
    const rec = await this.get(id);
    if (!rec) throw new HfitError('BUILD_NOT_FOUND', `no build "${id}": check the id (builds are listed by GET /v1/builds)`);
    return rec;
  }

  /**
   * Read-modify-write of a record, retried on concurrent changes. `change` returns the new record,
   * or undefined to leave it as it is. Returns the stored record after the call and whether this
   * call changed it. A final state is never changed by a later `change` that would leave it
   * (guards against a slow worker overwriting a cancel).
   */
  async update(id: string, change: (rec: BuildRecord) => BuildRecord | undefined): Promise<{ rec: BuildRecord; changed: boolean }> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const raw = await this.redis.hget(this.recKey(id), 'rec');
      if (raw === null) throw new HfitError('BUILD_NOT_FOUND', `no build "${id}"`);
      const cur = BuildRecordSchema.parse(JSON.parse(raw));
      const next = change(cur);
      if (next === undefined) return { rec: cur, changed: false };
      if (isFinalBuildState(cur.state) && next.state !== cur.state) return { rec: cur, changed: false };
      // Reaching a final state releases the build's place in its owner's count, in the same step.
      const ends = !isFinalBuildState(cur.state) && isFinalBuildState(next.state);
      const ok = await this.redis.eval(CAS_SCRIPT, 2, this.recKey(id), this.activeKey(cur.owner), raw, JSON.stringify(next), ends ? '1' : '0', id);
      if (ok === 1) {
        if (next.packageName !== undefined && next.packageName !== cur.packageName) {
          await this.redis.zadd(this.indexKey({ kind: 'package', name: next.packageName }), 0, id);
        }
        if (next.state === 'succeeded' && cur.state !== 'succeeded') await this.addLatest(this.redis.multi(), next).exec();
        return { rec: next, changed: true };
      }
    }
    throw new HfitError('SERVICE_UNAVAILABLE', `build "${id}" is being changed too often to update it: retry`);
  }

  private addLatest(m: ChainableCommander, rec: BuildRecord): ChainableCommander {
    const score = Date.parse(rec.finishedAt ?? rec.createdAt);
    m.zadd(this.okKey('template', rec.templateName), score, rec.id);
    if (rec.packageName !== undefined) m.zadd(this.okKey('package', rec.packageName), score, rec.id);
    return m;
  }

  /** Takes a build out of "latest" (its archive was removed). */
  async removeFromLatest(rec: BuildRecord): Promise<void> {
    const m = this.redis.multi();
    m.zrem(this.okKey('template', rec.templateName), rec.id);
    if (rec.packageName !== undefined) m.zrem(this.okKey('package', rec.packageName), rec.id);
    await m.exec();
  }

  /** Ids of the newest succeeded builds of a package (or template), newest first, skipping the first `offset`. */
  async latestIds(kind: 'template' | 'package', name: string, count = 1, offset = 0): Promise<string[]> {
    return this.redis.zrevrange(this.okKey(kind, name), offset, offset + count - 1);
  }

  /** Ids of `owner`'s builds counted as queued or running. */
  async activeIds(owner: string): Promise<string[]> {
    return (await this.redis.smembers(this.activeKey(owner))).sort();
  }

  /**
   * Recomputes every owner's count of queued and running builds from the records (maintenance):
   * drops ids whose build ended or is gone (a worker killed between its final write and… nothing
   * is lost, but a count restored from an old Redis copy may be off), adds builds not final but
   * not counted. Each change is atomic with the record it reads.
   */
  async recountActive(): Promise<{ counted: number; dropped: number }> {
    let counted = 0;
    let dropped = 0;
    const seen = new Set<string>();
    const recount = async (owner: string, id: string): Promise<boolean> =>
      (await this.redis.eval(RECOUNT_SCRIPT, 2, this.recKey(id), this.activeKey(owner), id)) === 1;
    // Members of every set first: those that must go.
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.activeKey('')}*`, 'COUNT', 200);
      cursor = next;
      for (const key of keys) {
        const owner = key.slice(this.activeKey('').length);
        for (const id of await this.redis.smembers(key)) {
          seen.add(id);
          if (!(await recount(owner, id))) dropped++;
        }
      }
    } while (cursor !== '0');
    // Then every build not final that no set holds.
    let start = 0;
    for (;;) {
      const ids = await this.redis.zrange(this.indexKey({ kind: 'all' }), String(start), String(start + 499));
      if (ids.length === 0) break;
      start += ids.length;
      const raws = await this.redis.pipeline(ids.map((id) => ['hget', this.recKey(id), 'rec'])).exec();
      for (const [i, id] of ids.entries()) {
        const raw = raws?.[i]?.[1];
        if (seen.has(id) || typeof raw !== 'string') continue;
        const rec = BuildRecordSchema.safeParse(JSON.parse(raw));
        if (rec.success && !isFinalBuildState(rec.data.state) && (await recount(rec.data.owner, id))) counted++;
      }
    }
    return { counted, dropped };
  }

  /** Records one export's progress (any worker may write its own exports concurrently). */
  async setExport(id: string, progress: ExportProgress): Promise<void> {
    await this.redis.hset(this.recKey(id), `x:${progress.name}`, JSON.stringify(progress));
  }

  /** Progress of every export, in the record's export order (exports not reported yet are pending). */
  async exports(rec: BuildRecord): Promise<ExportProgress[]> {
    const keys = rec.exportKeys ?? [];
    if (keys.length === 0) return [];
    const raw = await this.redis.hmget(this.recKey(rec.id), ...keys.map((k) => `x:${k}`));
    return keys.map((name, i) => {
      const r = raw[i];
      return r ? (JSON.parse(r) as ExportProgress) : { name, type: rec.exportTypes?.[name] ?? 'unknown', state: 'pending', rows: 0, bytes: 0 };
    });
  }

  /**
   * One page of ids from an index, newest first, strictly older than `before` (a build id) when
   * given.
   */
  async page(index: BuildIndex, count: number, before?: string): Promise<string[]> {
    return this.redis.zrevrangebylex(this.indexKey(index), before === undefined ? '+' : `(${before}`, '-', 'LIMIT', 0, count);
  }

  /** Deletes a record and its index entries (retention of failed builds, tests). */
  async remove(rec: BuildRecord): Promise<void> {
    const m = this.redis.multi();
    m.del(this.recKey(rec.id));
    m.srem(this.activeKey(rec.owner), rec.id);
    m.zrem(this.indexKey({ kind: 'all' }), rec.id);
    m.zrem(this.indexKey({ kind: 'template', name: rec.templateName }), rec.id);
    if (rec.packageName !== undefined) m.zrem(this.indexKey({ kind: 'package', name: rec.packageName }), rec.id);
    m.zrem(this.okKey('template', rec.templateName), rec.id);
    if (rec.packageName !== undefined) m.zrem(this.okKey('package', rec.packageName), rec.id);
    await m.exec();
  }

  private idemKey(owner: string, key: string): string {
    return `${this.p}idem:${createHash('sha256').update(`${owner}\n${key}`).digest('hex')}`;
  }

  /** What an idempotency key of `owner` was used for, if it was. */
  async getIdempotency(owner: string, key: string): Promise<IdempotencyEntry | undefined> {
    const raw = await this.redis.get(this.idemKey(owner, key));
    return raw === null ? undefined : (JSON.parse(raw) as IdempotencyEntry);
  }

  /** Claims an idempotency key; false when another request claimed it first. */
  async claimIdempotency(owner: string, key: string, entry: IdempotencyEntry): Promise<boolean> {
    const r = await this.redis.set(this.idemKey(owner, key), JSON.stringify(entry), 'EX', IDEMPOTENCY_TTL_S, 'NX');
    return r === 'OK';
  }

  /** Gives back a key claimed for a build that was then refused (so a retry may use it), if it still names that build. */
  async releaseIdempotency(owner: string, key: string, buildId: string): Promise<void> {
    const current = await this.getIdempotency(owner, key);
    if (current?.buildId === buildId) await this.redis.del(this.idemKey(owner, key));
  }

  /** Tells every worker that `id` should stop. */
  async publishCancel(id: string): Promise<void> {
    await this.redis.publish(this.cancelChannel, id);
  }
}
