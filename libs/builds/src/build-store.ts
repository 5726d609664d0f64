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
  return 1
end
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

  /** Stores a new record and indexes it. */
  async create(rec: BuildRecord): Promise<void> {
    const m = this.redis.multi();
    m.hset(this.recKey(rec.id), 'rec', JSON.stringify(rec));
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
      const ok = await this.redis.eval(CAS_SCRIPT, 1, this.recKey(id), raw, JSON.stringify(next));
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

  /** Ids of the newest succeeded builds of a package (or template), newest first. */
  async latestIds(kind: 'template' | 'package', name: string, count = 1): Promise<string[]> {
    return this.redis.zrevrange(this.okKey(kind, name), 0, count - 1);
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

  /** Tells every worker that `id` should stop. */
  async publishCancel(id: string): Promise<void> {
    await this.redis.publish(this.cancelChannel, id);
  }
}
